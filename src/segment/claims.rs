//! One claim per block: the detectors run in turn (title, headings, recommendations and their
//! audience labels, tables, quotes) and each claims the blocks it makes something of; a block
//! another detector claimed first is not taken again, and a block nobody claims is a
//! paragraph. Every claim, and every rule that looked at a block and declined, is a
//! `Decision` with its evidence, for `peo extract --explain`.
//!
//! Invariant: a block has at most one role; the first claim wins, and a later one is recorded
//! as declined, never applied.

use super::Block;
use crate::model::{Decision, Role, SegmentRule};

/// The role each block was claimed for, and the decisions that led there.
#[derive(Debug, Clone)]
pub(crate) struct Claims {
    by_block: Vec<Option<(Role, SegmentRule)>>,
    pages: Vec<u32>,
    decisions: Vec<Decision>,
}

impl Claims {
    /// No block claimed yet.
    pub fn new(blocks: &[Block]) -> Claims {
        Claims {
            by_block: vec![None; blocks.len()],
            pages: blocks.iter().map(|b| b.page).collect(),
            decisions: Vec::new(),
        }
    }

    /// Claims block `idx` for `role` by `rule`; returns false, and records the claim as
    /// declined, when another claim holds the block already.
    pub fn claim(&mut self, idx: usize, role: Role, rule: SegmentRule, evidence: String) -> bool {
        let Some(slot) = self.by_block.get_mut(idx) else {
            return false;
        };
        let page = self.pages.get(idx).copied().unwrap_or(0);
        match *slot {
            Some((held, by)) => {
                self.decisions.push(Decision {
                    block: idx,
                    page,
                    rule,
                    took: false,
                    evidence: format!(
                        "{} ({evidence}), but the block is already a {} ({})",
                        role.name(),
                        held.name(),
                        by.name()
                    ),
                });
                false
            }
            None => {
                *slot = Some((role, rule));
                self.decisions.push(Decision {
                    block: idx,
                    page,
                    rule,
                    took: true,
                    evidence,
                });
                true
            }
        }
    }

    /// Records that `rule` looked at block `idx` and made nothing of it, and why.
    pub fn decline(&mut self, idx: usize, rule: SegmentRule, evidence: String) {
        self.record(idx, rule, false, evidence);
    }

    /// Records what `rule` found inside block `idx` without claiming it (a key figure is
    /// found inside a paragraph, a heading's number in its own block).
    pub fn note(&mut self, idx: usize, rule: SegmentRule, evidence: String) {
        self.record(idx, rule, true, evidence);
    }

    fn record(&mut self, idx: usize, rule: SegmentRule, took: bool, evidence: String) {
        let page = self.pages.get(idx).copied().unwrap_or(0);
        self.decisions.push(Decision {
            block: idx,
            page,
            rule,
            took,
            evidence,
        });
    }

    /// Whether some detector claimed block `idx`.
    pub fn taken(&self, idx: usize) -> bool {
        self.by_block.get(idx).is_some_and(|c| c.is_some())
    }

    /// The role block `idx` was claimed for; a paragraph when none.
    pub fn role(&self, idx: usize) -> Role {
        self.by_block
            .get(idx)
            .and_then(|c| c.map(|(role, _)| role))
            .unwrap_or(Role::Paragraph)
    }

    /// The blocks claimed for `role`.
    pub fn with_role(&self, role: Role) -> Vec<usize> {
        self.by_block
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some_and(|(r, _)| r == role))
            .map(|(i, _)| i)
            .collect()
    }

    /// Every decision, in block order and, for one block, in the order they were made.
    pub fn into_decisions(mut self) -> Vec<Decision> {
        self.decisions.sort_by_key(|d| d.block);
        self.decisions
    }
}

#[cfg(test)]
mod tests {
    use super::super::{blocks, test_support::page};
    use super::*;

    /// Principle: one role per block. The first claim holds; a second detector that wants the
    /// block is recorded as declined and changes nothing.
    #[test]
    fn the_first_claim_holds_and_a_second_is_declined() {
        let bs = blocks(&[page(1, &[("Aanbevelingen", 14.0), ("Een alinea.", 10.0)])]);
        let mut claims = Claims::new(&bs);
        assert!(claims.claim(0, Role::Heading, SegmentRule::SizeHeading, "14 pt".into()));
        assert!(!claims.claim(
            0,
            Role::Quote,
            SegmentRule::QuotationMarks,
            "opens with a mark".into()
        ));
        assert_eq!(claims.role(0), Role::Heading);
        assert_eq!(claims.role(1), Role::Paragraph);
        assert!(claims.taken(0) && !claims.taken(1));
        assert_eq!(claims.with_role(Role::Heading), [0]);
        let decisions = claims.into_decisions();
        assert_eq!(decisions.len(), 2);
        assert!(decisions[0].took && !decisions[1].took);
        assert!(
            decisions[1].evidence.contains("already a heading"),
            "{:?}",
            decisions[1]
        );
    }

    #[test]
    fn a_claim_on_a_block_that_does_not_exist_is_refused() {
        let bs = blocks(&[page(1, &[("Een alinea.", 10.0)])]);
        let mut claims = Claims::new(&bs);
        assert!(!claims.claim(5, Role::Heading, SegmentRule::SizeHeading, String::new()));
        assert!(claims.into_decisions().is_empty());
    }
}
