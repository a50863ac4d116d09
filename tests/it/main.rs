//! The integration tests, one binary: the built `peo` on the bundled corpus and on broken
//! files (`cli`, `search`, `segmentation`, `robustness`), and the use cases called as library
//! functions (`library`). The whole-corpus quality measurement is not among them: `make test`
//! runs `make quality` once after the tests.

mod cli;
mod common;
mod library;
mod robustness;
mod search;
mod segmentation;
