//! Layout on a page of 4,000 cells (tests/table_page.rs, also what `bench table` times): every
//! word is read once, the rows in their order, the table row by row; and on a page of one line
//! of 20,000 words set over one another (`bench line`): every word is read once. What it costs
//! is measured by `make bench`, never asserted here.

use std::collections::BTreeMap;

use crate::table_page::{crowded_line, label, table_page, value};

#[test]
fn a_statistical_table_of_4000_cells_is_read_whole_and_in_order() {
    let (rows, columns) = (200, 19);
    let laid = peo::layout::lay_out(&table_page(rows, columns));
    // Every word of the page, once.
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    let words = |text: &str, into: &mut BTreeMap<String, usize>| {
        for w in text.split_whitespace() {
            *into.entry(w.to_string()).or_default() += 1;
        }
    };
    for c in 0..columns {
        words(&format!("J{}", 2000 + c), &mut expected);
    }
    for r in 0..rows {
        words(&label(r), &mut expected);
        for c in 0..columns {
            words(&value(r, c), &mut expected);
        }
    }
    let mut read = BTreeMap::new();
    for line in &laid.lines {
        words(&line.text, &mut read);
    }
    assert_eq!(read, expected);
    // The rows top to bottom: each label after the one above it.
    let text: String = laid.lines.iter().map(|l| format!("{}\n", l.text)).collect();
    let at = |r: usize| {
        text.find(&format!("{} ", label(r)))
            .expect("a label is read")
    };
    for r in 1..rows {
        assert!(at(r - 1) < at(r), "row {} before row {r}", r - 1);
    }
    // The header and every row are table rows, the values in the cells of their columns.
    let table: Vec<&peo::model::Line> = laid.lines.iter().filter(|l| !l.cells.is_empty()).collect();
    assert_eq!(table.len(), rows + 1);
    for (r, line) in table.iter().skip(1).enumerate() {
        assert!(
            line.cells.iter().any(|c| c.starts_with(&label(r))),
            "{:?}",
            line.cells
        );
        let last = line.cells.last().expect("a row has cells");
        assert!(
            (0..columns).any(|c| *last == value(r, c)),
            "row {r}: {:?}",
            line.cells
        );
    }
}

#[test]
fn a_line_of_20000_words_set_over_one_another_is_read_whole() {
    let words = 20_000;
    let laid = peo::layout::lay_out(&crowded_line(words));
    let read: Vec<&str> = laid
        .lines
        .iter()
        .flat_map(|l| l.text.split_whitespace())
        .collect();
    assert_eq!(read.len(), words, "{:?}", &read[..read.len().min(5)]);
    assert!(read.iter().all(|w| *w == "ab"));
}
