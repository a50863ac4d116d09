//! Panics kept from the user. A panic is a bug in peo (or in a crate it uses), never a fault of
//! the input, and the user should see it as one line they can report, not as Rust's message and
//! backtrace: a stage's panic is caught where the stage runs (`contained`) and reported with the
//! file, page and stage it happened in; a panic that nothing contains is printed by the command
//! line's reporter (`report_uncaught`).
//!
//! Invariant: one process-wide panic hook, installed once; it prints nothing for a panic inside
//! `contained` (on that thread), hands any other panic to the reporter when one is set, and
//! leaves it to Rust's own hook otherwise (a library user's, a test's).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Once, OnceLock};

/// A caught panic: its message and where in the source it was raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    pub message: String,
    /// "src/layout.rs:690:33", when the hook saw it.
    pub location: Option<String>,
}

impl Panic {
    /// The first line of the message, and where the panic was raised: what a bug report needs,
    /// on one line.
    pub fn summary(&self) -> String {
        let first = self.message.lines().next().unwrap_or("").trim();
        match &self.location {
            Some(at) => format!("{first} (at {at})"),
            None => first.to_string(),
        }
    }

    /// The panic as one line naming the stage and, when known, the page: "page 3: layout
    /// failed: index out of bounds: ... (at src/layout.rs:690:33): a bug in peo, please report
    /// it".
    pub fn in_stage(&self, stage: &str, page: Option<u32>) -> String {
        let page = page.map(|p| format!("page {p}: ")).unwrap_or_default();
        format!(
            "{page}{stage} failed: {}: {}",
            self.summary(),
            PLEASE_REPORT
        )
    }
}

/// How every line that reports a panic ends.
pub const PLEASE_REPORT: &str = "a bug in peo, please report it";

thread_local! {
    /// How many `contained` calls the thread is inside.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Where the last contained panic of the thread was raised.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();
static REPORTER: OnceLock<fn(&Panic)> = OnceLock::new();

/// Runs `f`, turning a panic into `Err` without printing it: the caller reports it with what
/// it knows (the file, the page, the stage). Calls may nest.
pub fn contained<R>(f: impl FnOnce() -> R) -> Result<R, Panic> {
    install();
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result.map_err(|payload| Panic {
        message: payload_message(payload.as_ref()),
        location: LOCATION.with(|l| l.borrow_mut().take()),
    })
}

/// From now on, a panic that nothing contains goes to `report` (which prints one line)
/// instead of Rust's hook. The first reporter set stays.
pub fn report_uncaught(report: fn(&Panic)) {
    let _ = REPORTER.set(report);
    install();
}

fn install() {
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo| {
            let location = info.location().map(|l| l.to_string());
            if DEPTH.with(Cell::get) > 0 {
                LOCATION.with(|l| *l.borrow_mut() = location);
                return;
            }
            match REPORTER.get() {
                Some(report) => report(&Panic {
                    message: payload_message(info.payload()),
                    location,
                }),
                None => default(info),
            }
        }));
    });
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_gives_its_first_line_and_where_it_was_raised() {
        let caught = contained(|| {
            let empty: Vec<u32> = Vec::new();
            let i = empty.len();
            #[allow(clippy::indexing_slicing)]
            empty[i]
        })
        .unwrap_err();
        assert_eq!(
            caught.message,
            "index out of bounds: the len is 0 but the index is 0"
        );
        assert!(caught
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("src/panics.rs:")));
        let line = caught.in_stage("layout", Some(3));
        assert!(line.starts_with(
            "page 3: layout failed: index out of bounds: the len is 0 but the index is 0 (at src/panics.rs:"
        ));
        assert!(line.ends_with("a bug in peo, please report it"));
        assert!(!line.contains('\n'));
    }

    #[test]
    fn nested_containment_reports_the_inner_panic_and_the_outer_goes_on() {
        let outer = contained(|| {
            let inner = contained(|| panic!("inner\nsecond line"));
            assert_eq!(
                inner.unwrap_err().summary().split(" (at").next(),
                Some("inner")
            );
            7
        });
        assert_eq!(outer, Ok(7));
        assert!(contained(|| panic!("after")).is_err());
    }
}
