//! The integration tests, one binary: the built `peo` on the bundled corpus and on broken
//! files (`cli`, `search`, `segmentation`, `robustness`), a librarian's mistakes
//! (`librarian`), layout on a page of 4,000 table cells (`layout_scale`), the use cases called
//! as library functions (`library`), the stage fixtures of tests/data (`data`), the
//! conventions of the command line (`conventions`) and the command reference in docs/ against
//! the binary (`docs`). The whole-corpus quality measurement is not among them: `make test`
//! runs `make quality` once after the tests.

mod cli;
mod common;
mod conventions;
mod data;
mod docs;
mod layout_scale;
mod librarian;
mod library;
mod random_pages;
mod robustness;
mod search;
mod segmentation;
#[path = "../table_page.rs"]
mod table_page;
