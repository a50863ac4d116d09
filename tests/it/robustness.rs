//! The `peo` binary against what a librarian's corpus can hold besides good PDFs: decompression
//! bombs, files only a newer parser reads, huge page counts, looping and deeply nested object
//! graphs, a read-only corpus and an index directory that cannot be written.
//!
//! Invariant: the corpus and tests/fixtures are only read; everything a test writes goes to its
//! own directory under the system's temp directory, named with the process id.

use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{dictionary, Document, Object, Stream};
use serde_json::Value;

use crate::common;
use crate::common::{path_str, peo, run, Run, ROOT};

/// Runs peo in the crate root with its address space limited to `mib` MiB, so that a run
/// that would inflate a bomb into memory ends (by a signal) instead of taking the machine's.
fn peo_within(mib: u64, args: &[&str]) -> Run {
    use std::os::unix::process::CommandExt;
    let bytes = mib << 20;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peo"));
    cmd.args(args).current_dir(ROOT);
    // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    run(&mut cmd)
}

/// A fresh, empty directory for this test run (a stale one made writable first).
fn scratch(name: &str) -> PathBuf {
    common::scratch_with("robust", name, make_writable)
}

/// A corpus directory in `dir` holding a copy of the 2022-2023 summary and the given files.
fn corpus_with(dir: &Path, files: &[(&str, &[u8])]) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf"),
        corpus.join("peo-2022-2023-samenvatting.pdf"),
    )
    .unwrap();
    for (name, bytes) in files {
        std::fs::write(corpus.join(name), bytes).unwrap();
    }
    corpus
}

fn summary(run: &Run) -> String {
    run.stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or_default()
        .to_string()
}

/// The document ids of the hits for `query`.
fn hit_ids(index: &Path, query: &str) -> Vec<String> {
    let run = peo(&[
        "search",
        query,
        "--index",
        path_str(index),
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<String> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap().to_string())
        .collect();
    // Nothing found is exit code 1.
    assert_eq!(run.code, i32::from(ids.is_empty()), "{}", run.stderr);
    ids
}

/// Indexes `corpus` into `index` with the extra arguments and checks that exactly the summary
/// is indexed besides `failed` failures.
fn index_expecting(corpus: &Path, index: &Path, extra: &[&str], failed: usize) -> Run {
    let mut args = vec![
        "index",
        "--corpus",
        path_str(corpus),
        "--index",
        path_str(index),
    ];
    args.extend_from_slice(extra);
    let run = peo_within(2048, &args);
    assert_eq!(run.code, if failed > 0 { 1 } else { 0 }, "{}", run.stderr);
    assert!(
        summary(&run).contains(&format!(" unchanged, {failed} failed)")),
        "{}",
        run.stderr
    );
    assert!(hit_ids(index, "geluksdruk").contains(&"peo-2022-2023-samenvatting".to_string()));
    run
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join("tests/fixtures").join(name)).unwrap()
}

// Decompression bombs (tests/fixtures/bommen.py): 7 KB that inflate to 4 GiB.

#[test]
fn a_content_stream_that_inflates_to_gigabytes_fails_its_file_within_bounds() {
    let dir = scratch("bom-inhoud");
    let corpus = corpus_with(&dir, &[("bom-inhoud.pdf", &fixture("bom-inhoud.pdf"))]);
    // In a worker process and in this one: before the bound, the worker hit its memory limit
    // (reported as an abort) and the in-process run died of it; both now stay within 2 GiB.
    for (mode, extra) in [("worker", &[][..]), ("in-process", &["--in-process"][..])] {
        let index = dir.join(format!("index-{mode}"));
        let run = index_expecting(&corpus, &index, extra, 1);
        let line = format!(
            "peo: {}: a stream inflates to more than 64 MiB (a decompression bomb)",
            corpus.join("bom-inhoud.pdf").display()
        );
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{mode}: {}",
            run.stderr
        );
    }
}

#[test]
fn an_image_that_inflates_to_gigabytes_is_not_given_to_ocr() {
    // The page has no text layer, so OCR wants the image's 8192 x 8192 gray pixels (64 MiB),
    // which inflate to 4 GiB.
    let run = peo_within(2048, &["extract", "tests/fixtures/bom-afbeelding.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "page 1 has no text: no OCR: its image data inflates to more than its 8192 x 8192 pixels (a decompression bomb)"
        ),
        "{}",
        run.stderr
    );
}

// Files that lopdf 0.42 (the parser pdf-extract reads with) cannot parse, re-saved by 0.47.

/// The 2022-2023 summary damaged by `damage`.
fn damaged_summary(damage: fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    damage(&std::fs::read(Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf")).unwrap())
}

/// The position of the cross-reference table (the summary has one, written by LibreOffice).
fn xref_at(pdf: &[u8]) -> usize {
    let tail = pdf.len() - 64;
    let startxref = tail + find(&pdf[tail..], b"startxref").expect("a startxref");
    find(&pdf[..startxref], b"\nxref").expect("an xref table") + 1
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// `startxref` points 12 bytes before the table: lopdf 0.42 says "invalid file trailer".
fn wrong_startxref(pdf: &[u8]) -> Vec<u8> {
    let at = xref_at(pdf);
    let old = format!("startxref\n{at}\n");
    let new = format!("startxref\n{}\n", at - 12);
    let i = find(pdf, old.as_bytes()).expect("startxref names the table");
    [&pdf[..i], new.as_bytes(), &pdf[i + old.len()..]].concat()
}

/// Every offset in the table 1000 bytes too far: lopdf 0.42 finds no pages.
fn shifted_offsets(pdf: &[u8]) -> Vec<u8> {
    let at = xref_at(pdf);
    let end = at + find(&pdf[at..], b"trailer").expect("a trailer");
    let table = String::from_utf8(pdf[at..end].to_vec()).unwrap();
    let shifted: Vec<String> = table
        .split('\n')
        .map(|line| match line.split(' ').collect::<Vec<_>>()[..] {
            [offset, generation, "n", ..] if offset.len() == 10 => {
                let offset: u64 = offset.parse().unwrap();
                format!("{:010} {generation} n ", offset + 1000)
            }
            _ => line.to_string(),
        })
        .collect();
    [&pdf[..at], shifted.join("\n").as_bytes(), &pdf[end..]].concat()
}

#[test]
fn a_pdf_with_a_broken_cross_reference_table_is_read_after_a_newer_parser_resaves_it() {
    let dir = scratch("xref");
    for (name, damage) in [
        ("startxref.pdf", wrong_startxref as fn(&[u8]) -> Vec<u8>),
        ("offsets.pdf", shifted_offsets),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, damaged_summary(damage)).unwrap();
        let run = peo(&["extract", path_str(&file)]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let doc: Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(
            doc["pages"][0]["text"]
                .as_str()
                .unwrap()
                .contains("Geluksdruk"),
            "{name}: {doc}"
        );
    }
}

// A read-only corpus and an index directory that cannot be written. Root ignores file modes,
// so as root these run peo as the unprivileged user nobody (setpriv); the directories peo
// must write are made writable for everyone.

/// The user and group that run peo in the tests below.
const NOBODY: u32 = 65534;

/// Runs peo as nobody when this process is root (else as this user, whom modes bind
/// already), in `dir`. `None` when root cannot switch users here: the caller skips.
fn peo_unprivileged(dir: &Path, args: &[&str]) -> Option<Run> {
    let is_root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if is_root {
        let mut cmd = Command::new("setpriv");
        cmd.arg(format!("--reuid={NOBODY}"))
            .arg(format!("--regid={NOBODY}"))
            .arg("--clear-groups")
            .arg(env!("CARGO_BIN_EXE_peo"));
        cmd
    } else {
        Command::new(env!("CARGO_BIN_EXE_peo"))
    };
    cmd.args(args).current_dir(dir);
    let out = run(&mut cmd);
    if is_root && out.code != 0 && out.stderr.starts_with("setpriv:") {
        eprintln!(
            "skipped: root cannot run peo as nobody here: {}",
            out.stderr
        );
        return None;
    }
    Some(out)
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every file and directory under `dir` (and `dir`) read-only for everyone.
fn make_read_only(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            make_read_only(&path);
        } else {
            chmod(&path, 0o444);
        }
    }
    chmod(dir, 0o555);
}

/// Undoes `make_read_only`, so the scratch directory can be removed when not root.
fn make_writable(dir: &Path) {
    chmod(dir, 0o777);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.is_symlink() {
            make_writable(&path);
        } else if !path.is_symlink() {
            chmod(&path, 0o666);
        }
    }
}

/// A scratch directory that nobody may write into (the tests' own directories are root's).
fn open_scratch(name: &str) -> PathBuf {
    let dir = scratch(name);
    chmod(&dir, 0o777);
    dir
}

/// Every file under `dir` with its bytes, to tell that nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_read_only_corpus_is_indexed() {
    let dir = open_scratch("alleen-lezen");
    let corpus = corpus_with(&dir, &[]);
    make_read_only(&corpus);
    let index = dir.join("index");
    let Some(run) = peo_unprivileged(&dir, &["index", "--corpus", "corpus", "--index", "index"])
    else {
        return;
    };
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary(&run).contains("(1 added,"), "{}", run.stderr);
    assert!(hit_ids(&index, "geluksdruk").contains(&"peo-2022-2023-samenvatting".to_string()));
    // The corpus really was read-only to that user: `peo add` into it is a clear error.
    let new = Path::new(ROOT).join("corpus/peo-2022-factsheet.pdf");
    let run = peo_unprivileged(
        &dir,
        &[
            "add",
            path_str(&new),
            "--corpus",
            "corpus",
            "--index",
            "index",
        ],
    )
    .expect("ran once already");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        format!(
            "peo: {}: cannot copy into corpus: Permission denied (os error 13)",
            new.display()
        )
    );
    assert!(!corpus.join("peo-2022-factsheet.pdf").exists());
}

#[test]
fn an_index_directory_that_cannot_be_written_is_a_clear_error_and_the_index_stays_whole() {
    let dir = open_scratch("schrijfbeveiligd");
    let corpus = corpus_with(&dir, &[]);
    chmod(&corpus, 0o777);
    let index = dir.join("index");
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    make_read_only(&index);
    let before = snapshot(&index);

    // A new file to index, so the run has something to write.
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-factsheet.pdf"),
        corpus.join("peo-2022-factsheet.pdf"),
    )
    .unwrap();
    let Some(run) = peo_unprivileged(&dir, &["index", "--corpus", "corpus", "--index", "index"])
    else {
        return;
    };
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "peo: index: cannot lock the index: Permission denied (os error 13)"
    );
    assert_eq!(snapshot(&index), before, "the index changed");
    assert!(!hit_ids(&index, "werkdruk").contains(&"peo-2022-factsheet".to_string()));
    assert!(hit_ids(&index, "geluksdruk").contains(&"peo-2022-2023-samenvatting".to_string()));

    // An index directory that cannot be made: its parent is read-only.
    let parent = dir.join("alleen-lezen");
    std::fs::create_dir(&parent).unwrap();
    chmod(&parent, 0o555);
    let run = peo_unprivileged(
        &dir,
        &[
            "index",
            "--corpus",
            "corpus",
            "--index",
            "alleen-lezen/index",
        ],
    )
    .expect("ran once already");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "peo: alleen-lezen/index: cannot create the index directory: Permission denied (os error 13)"
    );
    assert!(!parent.join("index").exists());
}

// Huge page counts and odd object graphs.

/// A PDF of `n_pages` pages, each showing "Pagina N" in Helvetica; `page` may add entries to
/// each page dictionary and `pages` to the root of the page tree.
fn pdf_of_pages(n_pages: u32, page: lopdf::Dictionary, pages: lopdf::Dictionary) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let mut kids = Vec::new();
    for number in 1..=n_pages {
        let text = format!("BT /F1 12 Tf 72 720 Td (Pagina {number}) Tj ET");
        let content = doc.add_object(Stream::new(dictionary! {}, text.into_bytes()));
        let mut dict = dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        };
        dict.extend(&page);
        kids.push(Object::Reference(doc.add_object(dict)));
    }
    let mut root = dictionary! { "Type" => "Pages", "Count" => n_pages as i64 };
    root.set("Kids", kids);
    root.extend(&pages);
    doc.objects.insert(pages_id, Object::Dictionary(root));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_document_of_20000_pages_is_read_in_linear_time() {
    // Regression: pdf-extract looked the page tree up again for every page, so 8000 pages took
    // 42 s and 20000 pages would have taken over 4 minutes; it takes seconds now.
    let dir = scratch("pagina");
    let pdf = pdf_of_pages(20000, dictionary! {}, dictionary! {});
    let corpus = corpus_with(&dir, &[("dik.pdf", &pdf)]);
    let index = dir.join("index");
    let run = index_expecting(&corpus, &index, &["--timeout", "120"], 0);
    assert!(summary(&run).contains("(2 added,"), "{}", run.stderr);
    let run = peo(&[
        "show",
        "dik:19999",
        "--format",
        "json",
        "--index",
        path_str(&index),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(page["text"], "Pagina 19999");
}

/// A PDF whose page `Parent` chain and page tree loop: the root lists itself among its kids.
fn looping_page_tree() -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(&pdf_of_pages(1, dictionary! {}, dictionary! {}))
        .expect("the generated PDF loads");
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let kids = doc.get_dictionary_mut(root).unwrap();
    let mut list = kids.get(b"Kids").unwrap().as_array().unwrap().clone();
    list.insert(0, Object::Reference(root));
    kids.set("Kids", list);
    kids.set("Parent", root);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF of the numbered objects (1 is the catalog) with a correct cross-reference table,
/// written by hand for objects lopdf's writer would recurse into too deeply.
fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.extend_from_slice(table.as_bytes());
    out
}

/// A one-page PDF whose page dictionary holds arrays nested 100000 deep.
fn deeply_nested() -> Vec<u8> {
    let depth = 100_000;
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Diep {}{} >>",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let content = "BT /F1 12 Tf 72 720 Td (Diep) Tj ET";
    raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
        .into_bytes(),
        page.into_bytes(),
    ])
}

#[test]
fn looping_and_deeply_nested_object_graphs_cost_only_their_file() {
    let dir = scratch("lussen");
    let corpus = corpus_with(
        &dir,
        &[
            ("lus.pdf", &looping_page_tree()),
            ("diep.pdf", &deeply_nested()),
        ],
    );
    for (mode, extra) in [("worker", &[][..]), ("in-process", &["--in-process"][..])] {
        let index = dir.join(format!("index-{mode}"));
        let run = peo_within(2048, &{
            let mut args = vec![
                "index",
                "--corpus",
                path_str(&corpus),
                "--index",
                path_str(&index),
            ];
            args.extend_from_slice(extra);
            args
        });
        assert_eq!(run.code, 1, "{mode}: {}", run.stderr);
        assert!(
            summary(&run).contains("(1 added, 0 updated, 0 removed, 0 unchanged, 2 failed)"),
            "{mode}: {}",
            run.stderr
        );
        // Neither lopdf 0.42 nor 0.47 finds the page behind the loop or under the nesting:
        // each file fails with one line that names it, at once.
        for name in ["lus.pdf", "diep.pdf"] {
            let path = corpus.join(name).display().to_string();
            let lines: Vec<&str> = run
                .stderr
                .lines()
                .filter(|l| l.starts_with(&format!("peo: {path}: ")))
                .collect();
            assert_eq!(
                lines,
                [format!("peo: {path}: the pdf has no pages")],
                "{mode}: {}",
                run.stderr
            );
        }
        assert!(hit_ids(&index, "geluksdruk").contains(&"peo-2022-2023-samenvatting".to_string()));
    }
}

#[test]
fn an_operator_that_makes_the_parser_panic_costs_only_that_operator() {
    // pdf-extract asserts that `cm` has six operands: that cost page 2 (and stopped the pass
    // over all pages there); now it costs the `cm`, and the warning names the page and why.
    let content = |text: &str| {
        let ops = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
        format!("<< /Length {} >>\nstream\n{ops}\nendstream", ops.len()).into_bytes()
    };
    let page = |contents: u32| {
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
        )
        .into_bytes()
    };
    let broken = "1 0 0 cm BT /F1 12 Tf 72 720 Td (Kapot) Tj ET";
    let pdf = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R] /Count 3 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        page(7),
        page(8),
        page(9),
        content("Eerste pagina"),
        format!(
            "<< /Length {} >>\nstream\n{broken}\nendstream",
            broken.len()
        )
        .into_bytes(),
        content("Derde pagina"),
    ]);
    let dir = scratch("paniek");
    let file = dir.join("paniek.pdf");
    std::fs::write(&file, pdf).unwrap();
    let run = peo(&["extract", path_str(&file)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "paniek.pdf: page 2: skipped the operator cm: assertion failed: operation.operands.len() == 6"
        ),
        "{}",
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let texts: Vec<&str> = doc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Eerste pagina", "Kapot", "Derde pagina"]);
}

#[test]
fn a_form_that_draws_itself_and_forms_that_multiply_cost_only_those_forms() {
    // A form XObject that draws itself recursed until the stack overflowed: an abort, which
    // with --in-process ends the whole run. Forms that each draw the next ten times, eight
    // deep, would be 10^8 forms on one page.
    let stream = |dict: &str, ops: &str| {
        format!(
            "<< {dict} /Length {} >>\nstream\n{ops}\nendstream",
            ops.len()
        )
        .into_bytes()
    };
    let form = |xobjects: &str, ops: &str| {
        stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << {xobjects} >> >>"),
            ops,
        )
    };
    let page = |contents: u32, xobjects: &str| {
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R /Resources << /Font << /F1 3 0 R >> /XObject << {xobjects} >> >> >>"
        )
        .into_bytes()
    };
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R 5 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        page(6, "/Fm1 7 0 R"),
        page(8, "/L0 9 0 R"),
        stream("", "BT /F1 12 Tf 72 720 Td (Eerste pagina) Tj ET /Fm1 Do"),
        form(
            "/Fm1 7 0 R",
            "BT /F1 12 Tf 72 700 Td (Formulier) Tj ET /Fm1 Do /Fm1 Do",
        ),
        stream("", "BT /F1 12 Tf 72 720 Td (Tweede pagina) Tj ET /L0 Do"),
    ];
    // L0 to L7 (objects 9 to 16), each drawing the next ten times; L7 draws a line.
    for level in 0..8 {
        let next = format!("/L{}", level + 1);
        let ops = if level == 7 {
            "0 0 m 10 10 l S".to_string()
        } else {
            [next.as_str(); 10].map(|n| format!("{n} Do")).join(" ")
        };
        objects.push(form(&format!("{next} {} 0 R", level + 10), &ops));
    }
    let dir = scratch("formulieren");
    let file = dir.join("formulieren.pdf");
    std::fs::write(&file, raw_pdf(&objects)).unwrap();
    let run = peo(&[
        "extract",
        path_str(&file),
        "--format",
        "text",
        "--in-process",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for text in ["Eerste pagina", "Tweede pagina"] {
        assert!(run.stdout.contains(text), "{}", run.stdout);
    }
    assert_eq!(run.stdout.matches("Formulier").count(), 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("formulieren.pdf: page 1: skipped the form /Fm1: it draws itself"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("more than 10000 forms drawn on one page"),
        "{}",
        run.stderr
    );
}

#[test]
fn comments_in_a_content_stream_do_not_end_the_page() {
    // A comment is white space in PDF; lopdf's content parser stopped at the first, and the
    // page read as empty (pypdf's Sample_Td-matrix.pdf, written by hand in vim). A "%" in a
    // string is text.
    let ops = "BT\n% the heading\n/F1 12 Tf 72 720 Td (Werkdruk 42% (hoog)) Tj % after\n\
               0 -20 Td (Tweede regel) Tj\n% (niet dit) Tj\nET";
    let pdf = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> >> >>".to_vec(),
        format!("<< /Length {} >>\nstream\n{ops}\nendstream", ops.len()).into_bytes(),
    ]);
    let dir = scratch("commentaar");
    let file = dir.join("commentaar.pdf");
    std::fs::write(&file, pdf).unwrap();
    let run = peo(&["extract", path_str(&file), "--format", "text"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Werkdruk 42% (hoog)") && run.stdout.contains("Tweede regel"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("niet dit"), "{}", run.stdout);
}

// Ghostscript re-distils: `gs -sDEVICE=pdfwrite` is behind many print-to-PDF and "reduce file
// size" tools. It rewrites every content stream (paragraph lines drawn with `'`, a font's
// ToUnicode map written anew).

/// The born-digital files of the bundled corpus, by its catalog.
fn born_digital_corpus_files() -> Vec<PathBuf> {
    let catalog = std::fs::read_to_string(Path::new(ROOT).join("corpus/catalog.toml")).unwrap();
    let catalog: toml::Table = toml::from_str(&catalog).unwrap();
    let files: Vec<PathBuf> = catalog["document"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["variant"].as_str() == Some("born-digital"))
        .map(|d| {
            Path::new(ROOT)
                .join("corpus")
                .join(d["file"].as_str().unwrap())
        })
        .collect();
    assert!(files.len() >= 6, "{files:?}");
    files
}

/// The words `peo extract --format text` reads from `file`, split at white space, with the
/// punctuation at their ends taken off, counted; and the warnings of the run.
fn words_read(file: &Path) -> (std::collections::BTreeMap<String, usize>, String) {
    let run = peo(&["extract", path_str(file), "--format", "text"]);
    assert_eq!(run.code, 0, "{}: {}", file.display(), run.stderr);
    let mut words = std::collections::BTreeMap::new();
    for word in run.stdout.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() {
            *words.entry(word.to_string()).or_insert(0) += 1;
        }
    }
    (words, run.stderr)
}

/// The words of `a` that `b` lacks, each as often as it lacks it.
fn missing_from(
    a: &std::collections::BTreeMap<String, usize>,
    b: &std::collections::BTreeMap<String, usize>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (word, &n) in a {
        let m = b.get(word).copied().unwrap_or(0);
        out.extend(std::iter::repeat_n(word.clone(), n.saturating_sub(m)));
    }
    out
}

#[test]
fn a_ghostscript_redistil_of_every_born_digital_corpus_pdf_reads_the_words_of_its_original() {
    // Ghostscript writes ToUnicode maps that name other characters for some glyphs than the
    // original's maps did: in these fonts the ligatures fi and fl become "û" and "ü", the
    // quotation marks „ ” ‘ ’ become "8", "9", "<" and "=", the em dash "4" (pdftotext reads
    // the same characters from the re-distilled files). So a word of the original may come
    // back changed in up to three characters ("reflectie" as "reüectie", "collega’s" as
    // "collega9s", "reflectie’" as "reüectie9"), and a dash that stood alone may come back as a character of its own; every
    // other word must come back as it was, as often as it was. Before peo read the `'` operator
    // (which Ghostscript draws a paragraph's lines with), the web page lost 70 of its 528 words
    // and the report 169 of 8351.
    let dir = scratch("ghostscript");
    for original in born_digital_corpus_files() {
        let name = original.file_name().unwrap().to_str().unwrap();
        let distilled = dir.join(name);
        let gs = Command::new("gs")
            .args([
                "-q",
                "-dSAFER",
                "-dBATCH",
                "-dNOPAUSE",
                "-sDEVICE=pdfwrite",
                "-o",
            ])
            .arg(&distilled)
            .arg(&original)
            .output()
            .expect("ghostscript is installed (make test-deps)");
        assert!(
            gs.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&gs.stderr)
        );
        let (before, _) = words_read(&original);
        let (after, warnings) = words_read(&distilled);
        assert_eq!(warnings, "", "{name}");
        let lost = missing_from(&before, &after);
        let mut gained = missing_from(&after, &before);
        // A dash that stood alone, come back as a character; then nearest first, so that a
        // short word does not take the changed form of another.
        gained.retain(|g| g.chars().count() > 1);
        // A word hyphenated at the end of a column may come back as its two halves: the
        // original is read in its structure tree's order, which joins them, and Ghostscript's
        // copy has no tree (the halves stand apart on the page, footnote numbers between).
        let mut unexplained: Vec<String> = Vec::new();
        for word in lost {
            let halves = gained.iter().enumerate().find_map(|(i, a)| {
                let rest = word.strip_prefix(a.as_str())?;
                let j = gained.iter().position(|b| b == rest)?;
                (j != i).then_some((i, j))
            });
            match halves {
                Some((i, j)) => {
                    let (first, second) = (i.max(j), i.min(j));
                    gained.swap_remove(first);
                    gained.swap_remove(second);
                }
                None => unexplained.push(word),
            }
        }
        for distance in 1..=3 {
            unexplained.retain(|word| {
                let i = gained.iter().position(|g| {
                    rapidfuzz::distance::levenshtein::distance(word.chars(), g.chars()) == distance
                });
                i.map(|i| gained.swap_remove(i)).is_none()
            });
        }
        let n_words: usize = before.values().sum();
        assert!(
            unexplained.is_empty(),
            "{name}: {} of {n_words} words lost: {unexplained:?}",
            unexplained.len()
        );
        assert!(
            gained.is_empty(),
            "{name}: words that were not there: {gained:?}"
        );
    }
}

// A shared index: a librarian builds it, researchers who may only read it search it.

/// Runs peo in `dir` as a user who owns nothing here: nobody when this process is root, else
/// this user (for whom the modes of a read-only directory bind already). Unlike
/// `peo_unprivileged` it never skips: a root that cannot switch users fails the test.
fn peo_as_reader(dir: &Path, args: &[&str]) -> Run {
    let out = peo_unprivileged(dir, args);
    out.expect("root runs peo as nobody with setpriv (util-linux)")
}

#[test]
fn an_index_another_user_may_only_read_is_searched_without_writing_it() {
    let dir = open_scratch("gedeeld");
    let corpus = corpus_with(&dir, &[]);
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-factsheet.pdf"),
        corpus.join("peo-2022-factsheet.pdf"),
    )
    .unwrap();
    let index = dir.join("index");
    // The librarian's run, with the usual umask: every file of the index is readable by all
    // (tantivy wrote meta.json and .managed.json with mode 0600).
    let mut librarian = Command::new(env!("CARGO_BIN_EXE_peo"));
    librarian.args([
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    unsafe {
        use std::os::unix::process::CommandExt;
        librarian.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    let run = run(&mut librarian);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for entry in std::fs::read_dir(&index).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o044, 0o044, "{:?}: {mode:o}", entry.file_name());
    }
    // Read-only for everyone, and owned by root: no lock, no write.
    make_read_only(&index);
    let before = snapshot(&index);
    let commands: [&[&str]; 7] = [
        &["search", "werkdruk", "--index", "index", "--format", "json"],
        &["search", "werkdrk", "--index", "index"],
        &["recs", "--index", "index"],
        &["recs", "professionals", "--index", "index"],
        &["list", "--index", "index"],
        &["show", "peo-2022-factsheet", "--index", "index"],
        &["quotes", "--index", "index"],
    ];
    for args in commands {
        let run = peo_as_reader(&dir, args);
        // The factsheet has no quotes: nothing found is exit code 1, said on stderr.
        if args[0] == "quotes" {
            assert_eq!((run.code, run.stderr.as_str()), (1, "peo: no quotes\n"));
            continue;
        }
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stdout.trim().is_empty(), "{args:?}");
        assert_eq!(run.stderr, "", "{args:?}");
    }
    let run = peo_as_reader(
        &dir,
        &["search", "werkdruk", "--index", "index", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["doc_id"] == "peo-2022-factsheet"));
    assert_eq!(snapshot(&index), before, "reading changed the index");
}

/// The words of a text as both readers are counted here: what white space separates, without
/// the punctuation at its ends, of two characters or more (a lone letter or mark is mostly the
/// noise of a scan's OCR layer, which peo's normalisation drops).
fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2)
        .count()
}

/// Every PDF bundled with the sources: the corpus, the photocopied scans, the committed zoo
/// renders and the odd files of tests/fixtures.
fn bundled_pdfs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "corpus",
        "tests/scans",
        "tests/zoo/ci/pdf",
        "tests/fixtures",
    ] {
        for entry in std::fs::read_dir(Path::new(ROOT).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pdf") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn peo_reads_nine_tenths_of_the_words_pdftotext_reads_from_every_bundled_pdf() {
    // pdftotext (poppler-utils, which `make test-deps` installs) reads the text layer of a
    // page as it stands; peo takes off running headers and footers and page numbers, joins
    // words broken at the end of a line and drops OCR noise, so it reads somewhat fewer words.
    // Under 90 % (what `make robustness` marks "fewer") it lost text.
    let mut fewer = Vec::new();
    let mut compared = 0;
    for file in bundled_pdfs() {
        let ptt = Command::new("pdftotext")
            .args(["-q", path_str(&file), "-"])
            .output()
            .expect("pdftotext (poppler-utils) is installed: `make test-deps`");
        let expected = word_count(&String::from_utf8_lossy(&ptt.stdout));
        if expected == 0 {
            continue;
        }
        compared += 1;
        let run = peo(&[
            "extract",
            path_str(&file),
            "--format",
            "text",
            "--ocr",
            "never",
        ]);
        assert_eq!(run.code, 0, "{}: {}", file.display(), run.stderr);
        let text: String = run
            .stdout
            .lines()
            .filter(|l| !(l.starts_with("--- page ") && l.ends_with(" ---")))
            .map(|l| format!("{l}\n"))
            .collect();
        let read = word_count(&text);
        if read * 10 < expected * 9 {
            fewer.push(format!("{}: {read} of {expected}", file.display()));
        }
    }
    assert!(compared >= 40, "{compared} PDFs with words");
    assert!(fewer.is_empty(), "fewer words than pdftotext: {fewer:#?}");
}
