//! The structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8): its elements with their
//! standard roles, in the tree's order, and which element each marked-content sequence of a
//! page or form belongs to.
//!
//! Invariant: a tree that is missing, cyclic, too deep or broken is read as far as it is sound
//! or not at all: it never makes a file fail, and reading it ends on any input.

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document as PdfDocument, Object, ObjectId};

use crate::model::{AltText, StructElement, StructRole, Structure};

/// No tree is followed deeper than this, nor a RoleMap chain longer than `MAX_ROLE_HOPS`.
const MAX_DEPTH: usize = 256;
const MAX_ROLE_HOPS: usize = 16;
/// Elements, and nodes of the ParentTree, read at most: a bound on work for hostile files.
const MAX_ELEMENTS: usize = 1 << 20;

/// The tree, and where its marked content is.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub structure: Structure,
    /// The element of each marked-content sequence: by the /StructParents key of the page or
    /// form that holds it, and its MCID.
    pub by_mcid: HashMap<(i64, i64), u32>,
    /// The /StructParents key of each page, by page number.
    pub page_keys: HashMap<u32, i64>,
    /// The Alt texts of its figures, in the tree's order.
    pub alt_texts: Vec<AltText>,
}

impl Tree {
    /// The element a glyph marked with `mcid` belongs to, in the form with `form_key` (its
    /// /StructParents) or else on page `page`.
    pub fn element(&self, page: u32, form_key: Option<i64>, mcid: i64) -> Option<u32> {
        let key = form_key.or_else(|| self.page_keys.get(&page).copied())?;
        self.by_mcid.get(&(key, mcid)).copied()
    }
}

/// Reads the structure tree of `doc`, whose pages are `page_ids`; none when it has none.
pub(crate) fn read(doc: &PdfDocument, page_ids: &BTreeMap<u32, ObjectId>) -> Option<Tree> {
    let catalog = doc.catalog().ok()?;
    let root = deref(doc, catalog.get(b"StructTreeRoot").ok()?)?
        .as_dict()
        .ok()?;
    let role_map = root
        .get(b"RoleMap")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let mut walk = Walk {
        doc,
        role_map,
        elements: Vec::new(),
        index_of: HashMap::new(),
        on_page: HashMap::new(),
        seen: HashSet::new(),
        pg: Vec::new(),
    };
    if let Ok(kids) = root.get(b"K") {
        walk.kids(kids, None, None, 0);
    }
    if walk.elements.is_empty() {
        return None;
    }
    let mut tree = Tree {
        page_keys: page_ids
            .iter()
            .filter_map(|(&number, &id)| {
                let page = doc.get_dictionary(id).ok()?;
                Some((number, page.get(b"StructParents").ok()?.as_i64().ok()?))
            })
            .collect(),
        ..Tree::default()
    };
    // The ParentTree says which element each MCID of a page or form belongs to. Where it is
    // missing or broken, the elements' own /Pg and MCIDs say it for the pages.
    if let Some(parent_tree) = root
        .get(b"ParentTree")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    {
        let mut budget = MAX_ELEMENTS;
        number_tree(doc, parent_tree, 0, &mut budget, &mut |key, value| {
            let Some(Ok(array)) = deref(doc, value).map(|v| v.as_array()) else {
                return;
            };
            for (mcid, element) in array.iter().enumerate() {
                if let Ok(id) = element.as_reference() {
                    if let Some(&index) = walk.index_of.get(&id) {
                        tree.by_mcid.insert((key, mcid as i64), index);
                    }
                }
            }
        });
    }
    let page_of: HashMap<ObjectId, u32> = page_ids.iter().map(|(&n, &id)| (id, n)).collect();
    for ((page_id, mcid), index) in walk.on_page {
        let Some(key) = page_of.get(&page_id).and_then(|n| tree.page_keys.get(n)) else {
            continue;
        };
        tree.by_mcid.entry((*key, mcid)).or_insert(index);
    }
    let alts = alt_texts(&walk.elements, &walk.pg, &tree, &page_of);
    tree.alt_texts = alts;
    tree.structure = Structure {
        elements: walk.elements,
        suspects: catalog
            .get(b"MarkInfo")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .and_then(|m| m.get(b"Suspects").ok())
            .and_then(|s| s.as_bool().ok())
            .unwrap_or(false),
    };
    Some(tree)
}

/// The Alt text of every figure that has one, each with its page: the /Pg its element names
/// (or an ancestor), else the first page that the marked content of the element, or of an
/// element inside it, is drawn on. The same text on the same page is given once.
fn alt_texts(
    elements: &[StructElement],
    pg: &[Option<ObjectId>],
    tree: &Tree,
    page_of: &HashMap<ObjectId, u32>,
) -> Vec<AltText> {
    let page_of_key: HashMap<i64, u32> = tree.page_keys.iter().map(|(&n, &k)| (k, n)).collect();
    let mut drawn_on: Vec<Option<u32>> = vec![None; elements.len()];
    let earlier = |at: &mut Option<u32>, page: u32| *at = Some(at.map_or(page, |p| p.min(page)));
    for (&(key, _), &index) in &tree.by_mcid {
        if let (Some(&page), Some(at)) = (page_of_key.get(&key), drawn_on.get_mut(index as usize)) {
            earlier(at, page);
        }
    }
    // A parent comes before its children in tree order: from the last element back, each
    // passes its page on to its parent.
    for i in (0..elements.len()).rev() {
        if let (Some(parent), Some(page)) = (elements[i].parent, drawn_on[i]) {
            if (parent as usize) < i {
                earlier(&mut drawn_on[parent as usize], page);
            }
        }
    }
    let mut out: Vec<AltText> = Vec::new();
    let mut seen: HashSet<(Option<u32>, &str)> = HashSet::new();
    for (i, element) in elements.iter().enumerate() {
        let (StructRole::Figure, Some(text)) = (element.role, &element.alt) else {
            continue;
        };
        let page = pg
            .get(i)
            .copied()
            .flatten()
            .and_then(|id| page_of.get(&id).copied())
            .or(drawn_on[i]);
        if seen.insert((page, text)) {
            out.push(AltText {
                page,
                text: text.clone(),
            });
        }
    }
    out
}

fn deref<'a>(doc: &'a PdfDocument, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

struct Walk<'a> {
    doc: &'a PdfDocument,
    role_map: Option<&'a Dictionary>,
    elements: Vec<StructElement>,
    index_of: HashMap<ObjectId, u32>,
    /// The element of each MCID the tree itself places on a page (/Pg), for a file whose
    /// ParentTree is missing or broken.
    on_page: HashMap<(ObjectId, i64), u32>,
    /// Elements already visited: a cycle, or an element listed twice, is read once.
    seen: HashSet<ObjectId>,
    /// The page (/Pg) each element names, or the nearest ancestor that names one.
    pg: Vec<Option<ObjectId>>,
}

impl Walk<'_> {
    /// The children in a /K entry: elements, MCIDs (of the page `page`), marked-content
    /// references, object references.
    fn kids(&mut self, k: &Object, parent: Option<u32>, page: Option<ObjectId>, depth: usize) {
        if depth > MAX_DEPTH || self.elements.len() >= MAX_ELEMENTS {
            return;
        }
        match k {
            Object::Array(items) => {
                for item in items {
                    self.kids(item, parent, page, depth + 1);
                }
            }
            Object::Integer(mcid) => {
                if let (Some(page), Some(parent)) = (page, parent) {
                    self.on_page.entry((page, *mcid)).or_insert(parent);
                }
            }
            Object::Reference(id) => {
                if !self.seen.insert(*id) {
                    return;
                }
                if let Ok(Object::Dictionary(dict)) = self.doc.get_object(*id) {
                    self.node(dict, Some(*id), parent, page, depth);
                }
            }
            Object::Dictionary(dict) => self.node(dict, None, parent, page, depth),
            _ => {}
        }
    }

    fn node(
        &mut self,
        dict: &Dictionary,
        id: Option<ObjectId>,
        parent: Option<u32>,
        page: Option<ObjectId>,
        depth: usize,
    ) {
        let page = dict
            .get(b"Pg")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .or(page);
        let kind = dict.get(b"Type").ok().and_then(|t| t.as_name().ok());
        if kind == Some(b"MCR") {
            let mcid = dict.get(b"MCID").ok().and_then(|m| m.as_i64().ok());
            // content of a form (/Stm) is found through the ParentTree
            if let (Some(mcid), Some(page), Some(parent), false) =
                (mcid, page, parent, dict.has(b"Stm"))
            {
                self.on_page.entry((page, mcid)).or_insert(parent);
            }
            return;
        }
        if kind == Some(b"OBJR") {
            return;
        }
        let Some(s) = dict.get(b"S").ok().and_then(|s| s.as_name().ok()) else {
            return;
        };
        let index = self.elements.len() as u32;
        self.elements.push(StructElement {
            role: self.role(s),
            parent,
            alt: text(self.doc, dict, b"Alt").or_else(|| text(self.doc, dict, b"ActualText")),
        });
        self.pg.push(page);
        if let Some(id) = id {
            self.index_of.insert(id, index);
        }
        if let Ok(k) = dict.get(b"K") {
            self.kids(k, Some(index), page, depth + 1);
        }
    }

    /// The standard role of structure type `s`, through the RoleMap when it is not standard.
    fn role(&self, s: &[u8]) -> StructRole {
        let mut name = s;
        for _ in 0..MAX_ROLE_HOPS {
            if let Some(role) = standard_role(name) {
                return role;
            }
            match self
                .role_map
                .and_then(|m| m.get(name).ok())
                .and_then(|n| n.as_name().ok())
            {
                Some(next) if next != name => name = next,
                _ => break,
            }
        }
        StructRole::Inline
    }
}

/// The role of a standard structure type; none for a type the standard does not define.
fn standard_role(name: &[u8]) -> Option<StructRole> {
    use StructRole::*;
    Some(match name {
        b"Document" | b"DocumentFragment" | b"Part" | b"Art" | b"Sect" | b"Div" | b"NonStruct"
        | b"Private" | b"TOC" | b"TOCI" | b"Index" | b"Aside" | b"Form" => Group,
        b"H" | b"H1" | b"Title" => Heading(1),
        b"H2" => Heading(2),
        b"H3" => Heading(3),
        b"H4" => Heading(4),
        b"H5" => Heading(5),
        b"H6" => Heading(6),
        b"P" => P,
        b"L" => List,
        b"LI" => ListItem,
        b"Lbl" => Label,
        b"LBody" => ListBody,
        b"BlockQuote" => BlockQuote,
        b"Quote" => Quote,
        b"Table" => Table,
        b"TR" | b"THead" | b"TBody" | b"TFoot" => TableRow,
        b"TH" | b"TD" => TableCell,
        b"Figure" | b"Formula" => Figure,
        b"Caption" => Caption,
        b"Note" | b"Reference" | b"BibEntry" | b"FENote" => Note,
        b"Span" | b"Link" | b"Annot" | b"Code" | b"Ruby" | b"Warichu" | b"Em" | b"Strong"
        | b"Sub" => Inline,
        _ => return None,
    })
}

/// A text string of `dict` (PDFDocEncoding or UTF-16 with its byte order mark).
fn text(doc: &PdfDocument, dict: &Dictionary, key: &[u8]) -> Option<String> {
    let Object::String(bytes, _) = deref(doc, dict.get(key).ok()?)? else {
        return None;
    };
    let text = if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Calls `found` for every key and value of a number tree (/Nums, and /Kids below), within a
/// budget of nodes and a bounded depth.
fn number_tree(
    doc: &PdfDocument,
    node: &Dictionary,
    depth: usize,
    budget: &mut usize,
    found: &mut dyn FnMut(i64, &Object),
) {
    if depth > 32 || *budget == 0 {
        return;
    }
    *budget -= 1;
    if let Some(Ok(nums)) = node
        .get(b"Nums")
        .ok()
        .and_then(|n| deref(doc, n))
        .map(|n| n.as_array())
    {
        for pair in nums.chunks_exact(2) {
            if let Ok(key) = pair[0].as_i64() {
                found(key, &pair[1]);
            }
        }
    }
    if let Some(Ok(kids)) = node
        .get(b"Kids")
        .ok()
        .and_then(|k| deref(doc, k))
        .map(|k| k.as_array())
    {
        for kid in kids {
            if let Some(Ok(kid)) = deref(doc, kid).map(|k| k.as_dict()) {
                number_tree(doc, kid, depth + 1, budget, found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use lopdf::{dictionary, Stream};

    use super::*;
    use crate::model::{Marked, RawPage};

    /// A one-page PDF whose page draws `content` (fonts F1, form Fm1 drawing `form`, properties
    /// MC0 = MCID 4) and whose catalog gets `tree(doc, page, form)` as its StructTreeRoot.
    fn tagged_pdf(
        content: &[u8],
        form: &[u8],
        tree: impl FnOnce(&mut PdfDocument, ObjectId, ObjectId) -> Option<Object>,
    ) -> Vec<u8> {
        let mut doc = PdfDocument::with_version("1.7");
        let font = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
        );
        let form = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "StructParents" => 1,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } } },
            form.to_vec(),
        ));
        let pages_id = doc.new_object_id();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "StructParents" => 0,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "Fm1" => form },
                "Properties" => dictionary! { "MC0" => dictionary! { "MCID" => 4 } },
            },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
        if let Some(root) = tree(&mut doc, page, form) {
            catalog.set("StructTreeRoot", root);
            catalog.set("MarkInfo", dictionary! { "Marked" => true });
        }
        let catalog = doc.add_object(catalog);
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    /// Adds a structure element of type `s` with children `k`; returns its reference.
    fn element(doc: &mut PdfDocument, s: &str, page: ObjectId, k: Object) -> ObjectId {
        doc.add_object(dictionary! { "Type" => "StructElem", "S" => Object::Name(s.into()), "Pg" => page, "K" => k })
    }

    fn set_kids(doc: &mut PdfDocument, parent: ObjectId, kids: &[ObjectId]) {
        let kids: Vec<Object> = kids.iter().map(|&k| k.into()).collect();
        doc.get_object_mut(parent)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("K", kids);
    }

    /// Each glyph's text with the role of its element ("-" unmarked, "artifact").
    fn roles(bytes: &[u8]) -> Vec<(String, String)> {
        let read = crate::extract::read(bytes).unwrap();
        let page: &RawPage = &read.pages[0];
        let elements = read.structure.map(|s| s.elements).unwrap_or_default();
        let mut out: Vec<(String, String)> = Vec::new();
        for g in &page.glyphs {
            let role = match g.marked {
                Marked::None => "-".to_string(),
                Marked::Artifact => "artifact".to_string(),
                Marked::Element(i) => format!("{:?}", elements[i as usize].role),
            };
            match out.last_mut() {
                Some((text, r)) if *r == role => text.push_str(&g.text),
                _ => out.push((g.text.clone(), role)),
            }
        }
        out
    }

    const CONTENT: &[u8] = b"/Artifact BMC BT /F1 8 Tf 72 810 Td (Kop) Tj ET EMC \
        /H1 <</MCID 0>> BDC BT /F1 20 Tf 72 760 Td (Titel) Tj ET EMC \
        /P <</MCID 1>> BDC BT /F1 10 Tf 72 740 Td (Tekst) Tj ET EMC \
        /Span <</MCID 2>> BDC BT /F1 30 Tf 72 700 Td (Q) Tj ET EMC \
        /P <</MCID 3>> BDC BT /F1 10 Tf 100 700 Td (Citaat) Tj ET EMC \
        /Lbl /MC0 BDC BT /F1 10 Tf 72 680 Td (1.) Tj ET EMC \
        /LBody <</MCID 5>> BDC BT /F1 10 Tf 90 680 Td (Item) Tj ET EMC \
        BT /F1 10 Tf 72 660 Td (Vrij) Tj ET /Fm1 Do";
    const FORM: &[u8] = b"/P <</MCID 0>> BDC BT /F1 10 Tf 72 640 Td (Vorm) Tj ET EMC";

    /// Document > H1, P, BlockQuote > (Span, P), L > LI > (Lbl, LBody), P (in the form).
    fn full_tree(
        doc: &mut PdfDocument,
        page: ObjectId,
        form: ObjectId,
        parent_tree: bool,
    ) -> Option<Object> {
        let h1 = element(doc, "H1", page, 0.into());
        let p = element(doc, "P", page, 1.into());
        let mark = element(doc, "Span", page, 2.into());
        let quoted = element(doc, "P", page, 3.into());
        let quote = element(doc, "BlockQuote", page, Object::Null);
        set_kids(doc, quote, &[mark, quoted]);
        let lbl = doc.add_object(dictionary! { "S" => "Lbl", "K" => dictionary! { "Type" => "MCR", "MCID" => 4, "Pg" => page } });
        let body = element(doc, "LBody", page, 5.into());
        let li = element(doc, "LI", page, Object::Null);
        set_kids(doc, li, &[lbl, body]);
        let list = element(doc, "L", page, Object::Null);
        set_kids(doc, list, &[li]);
        let in_form = element(
            doc,
            "P",
            page,
            dictionary! { "Type" => "MCR", "MCID" => 0, "Pg" => page, "Stm" => form }.into(),
        );
        let document = element(doc, "Document", page, Object::Null);
        set_kids(doc, document, &[h1, p, quote, list, in_form]);
        let mut root = dictionary! { "Type" => "StructTreeRoot", "K" => document };
        if parent_tree {
            let on_page: Vec<Object> = [h1, p, mark, quoted, lbl, body]
                .iter()
                .map(|&e| e.into())
                .collect();
            root.set(
                "ParentTree",
                dictionary! { "Nums" => vec![0.into(), on_page.into(), 1.into(), vec![in_form.into()].into()] },
            );
        }
        Some(doc.add_object(root).into())
    }

    #[test]
    fn the_alt_text_of_a_figure_is_read_with_its_page() {
        // Document > Figure (its own /Pg), Sect without /Pg > Figure whose MCID is on the
        // page (through the ParentTree), Figure with no page and no content, Figure without
        // Alt, P with ActualText (no figure), and the first figure's text again.
        let content = b"/Figure <</MCID 0>> BDC 0 0 10 10 re f EMC \
            /Figure <</MCID 1>> BDC 0 0 10 10 re f EMC";
        let bytes = tagged_pdf(content, b"", |doc, page, _| {
            let alt = |doc: &mut PdfDocument, text: &str, k: Object, pg: Option<ObjectId>| {
                let mut d = dictionary! { "S" => "Figure", "K" => k,
                "Alt" => Object::string_literal(text) };
                if let Some(pg) = pg {
                    d.set("Pg", pg);
                }
                doc.add_object(d)
            };
            let placed = alt(doc, "Grafiek: 37% van 1.240", 0.into(), Some(page));
            let drawn = alt(doc, "Klok: 6,5 uur", 1.into(), None);
            let sect = doc.add_object(dictionary! { "S" => "Sect", "K" => vec![drawn.into()] });
            let nowhere = alt(doc, "Nergens", Object::Null, None);
            let bare = element(doc, "Figure", page, Object::Null);
            let actual = doc.add_object(dictionary! { "S" => "P", "Pg" => page,
            "ActualText" => Object::string_literal("Geen figuur") });
            let again = alt(doc, "Grafiek: 37% van 1.240", Object::Null, Some(page));
            // The Document names no page, which its children would inherit.
            let document = doc.add_object(dictionary! { "S" => "Document" });
            set_kids(doc, document, &[placed, sect, nowhere, bare, actual, again]);
            let root = dictionary! { "Type" => "StructTreeRoot", "K" => document,
            "ParentTree" => dictionary! { "Nums" => vec![0.into(),
                vec![placed.into(), drawn.into()].into()] } };
            Some(doc.add_object(root).into())
        });
        let read = crate::extract::read(&bytes).unwrap();
        let got: Vec<(Option<u32>, &str)> = read
            .alt_texts
            .iter()
            .map(|a| (a.page, a.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Some(1), "Grafiek: 37% van 1.240"),
                (Some(1), "Klok: 6,5 uur"),
                (None, "Nergens")
            ]
        );
    }

    #[test]
    fn glyphs_take_the_element_their_marked_content_belongs_to() {
        let bytes = tagged_pdf(CONTENT, FORM, |d, p, f| full_tree(d, p, f, true));
        let got = roles(&bytes);
        let want: Vec<(String, String)> = [
            ("Kop", "artifact"),
            ("Titel", "Heading(1)"),
            ("Tekst", "P"),
            ("Q", "Inline"),
            ("Citaat", "P"),
            ("1.", "Label"),
            ("Item", "ListBody"),
            ("Vrij", "-"),
            ("Vorm", "P"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
        let read = crate::extract::read(&bytes).unwrap();
        let s = read.structure.unwrap();
        // tree order, and each element knows its parent: the mark and the quoted text share
        // the BlockQuote
        let roles: Vec<StructRole> = s.elements.iter().map(|e| e.role).collect();
        use StructRole::*;
        assert_eq!(
            roles,
            [
                Group,
                Heading(1),
                P,
                BlockQuote,
                Inline,
                P,
                List,
                ListItem,
                Label,
                ListBody,
                P
            ]
        );
        assert_eq!(s.elements[4].parent, Some(3));
        assert_eq!(s.elements[5].parent, Some(3));
    }

    #[test]
    fn without_a_parent_tree_the_elements_own_mcids_place_the_page_content() {
        let bytes = tagged_pdf(CONTENT, FORM, |d, p, f| full_tree(d, p, f, false));
        let got = roles(&bytes);
        let of = |t: &str| {
            got.iter()
                .find(|(x, _)| x == t)
                .expect(&format!("{t} in {got:?}"))
                .1
                .clone()
        };
        assert_eq!(of("Titel"), "Heading(1)");
        assert_eq!(of("1."), "Label");
        assert_eq!(of("Item"), "ListBody");
        // a form's MCIDs are its own: only the ParentTree says whose they are
        assert_eq!(
            got.last().unwrap(),
            &("VrijVorm".to_string(), "-".to_string())
        );
    }

    #[test]
    fn a_role_map_gives_custom_types_their_standard_role() {
        let bytes = tagged_pdf(CONTENT, FORM, |doc, page, _| {
            let kop = element(doc, "Kop1", page, 0.into());
            let alinea = element(doc, "Alinea", page, 1.into());
            let odd = element(doc, "Vreemd", page, 3.into());
            let document = element(doc, "Document", page, Object::Null);
            set_kids(doc, document, &[kop, alinea, odd]);
            let root = dictionary! {
                "Type" => "StructTreeRoot", "K" => document,
                // a chain, and a map into itself that must end
                "RoleMap" => dictionary! { "Kop1" => "Kop", "Kop" => "H1", "Alinea" => "P", "Vreemd" => "Vreemd" },
                "ParentTree" => dictionary! { "Nums" => vec![0.into(), vec![kop.into(), alinea.into(), Object::Null, odd.into()].into()] },
            };
            Some(doc.add_object(root).into())
        });
        let got = roles(&bytes);
        let of = |t: &str| got.iter().find(|(x, _)| x == t).unwrap().1.clone();
        assert_eq!(of("Titel"), "Heading(1)");
        assert_eq!(of("Tekst"), "P");
        assert_eq!(of("Citaat"), "Inline");
    }

    #[test]
    fn a_cyclic_tree_is_read_once_and_ends() {
        let bytes = tagged_pdf(CONTENT, FORM, |doc, page, _| {
            let h1 = element(doc, "H1", page, 0.into());
            let sect = element(doc, "Sect", page, Object::Null);
            // the section holds the heading and itself; the heading holds the section
            set_kids(doc, sect, &[h1, sect]);
            doc.get_object_mut(h1)
                .unwrap()
                .as_dict_mut()
                .unwrap()
                .set("K", vec![0.into(), sect.into()]);
            let root = dictionary! { "Type" => "StructTreeRoot", "K" => sect };
            Some(doc.add_object(root).into())
        });
        let read = crate::extract::read(&bytes).unwrap();
        let s = read.structure.unwrap();
        assert_eq!(s.elements.len(), 2);
        assert_eq!(roles(&bytes)[1], ("Titel".into(), "Heading(1)".into()));
    }

    #[test]
    fn a_broken_tree_reads_as_untagged_and_the_page_is_read_all_the_same() {
        for broken in [
            Object::Integer(7),
            Object::Dictionary(dictionary! { "Type" => "StructTreeRoot", "K" => 3 }),
            Object::Dictionary(
                dictionary! { "Type" => "StructTreeRoot", "K" => vec![Object::Null, "x".into()], "ParentTree" => 5 },
            ),
        ] {
            let bytes = tagged_pdf(CONTENT, FORM, move |_, _, _| Some(broken));
            let read = crate::extract::read(&bytes).unwrap();
            assert!(read.structure.is_none());
            let text: String = read.pages[0]
                .glyphs
                .iter()
                .map(|g| g.text.as_str())
                .collect();
            assert_eq!(text, "KopTitelTekstQCitaat1.ItemVrijVorm");
            // an artifact is an artifact without a tree too
            assert_eq!(read.pages[0].glyphs[0].marked, Marked::Artifact);
        }
    }

    #[test]
    fn a_tree_nested_deeper_than_the_bound_is_cut_there() {
        let bytes = tagged_pdf(CONTENT, FORM, |doc, page, _| {
            let mut inner = element(doc, "H1", page, 0.into());
            for _ in 0..(MAX_DEPTH + 50) {
                inner = element(doc, "Div", page, inner.into());
            }
            let root = dictionary! { "Type" => "StructTreeRoot", "K" => inner };
            Some(doc.add_object(root).into())
        });
        let read = crate::extract::read(&bytes).unwrap();
        let n = read.structure.unwrap().elements.len();
        assert!(n <= MAX_DEPTH + 1, "{n}");
        assert!(!read.pages[0].glyphs.is_empty());
    }

    /// On the tagged renders of the committed zoo subset (Chromium, WeasyPrint, LibreOffice
    /// and pandoc's DOCX through LibreOffice): every glyph is marked, and the glyphs whose
    /// element is a heading spell every section title of the render's gold.
    #[test]
    fn the_tagged_zoo_renders_mark_every_glyph_and_their_headings_hold_the_gold_sections() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zoo/ci");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        let fold = |t: &str| -> String {
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let mut producers = std::collections::BTreeSet::new();
        for render in manifest["renders"].as_array().unwrap() {
            if render["tagged"] != true {
                continue;
            }
            let name = render["name"].as_str().unwrap();
            producers.insert(render["producer"].as_str().unwrap().to_string());
            let read = crate::extract::read(
                &std::fs::read(dir.join(render["file"].as_str().unwrap())).unwrap(),
            )
            .unwrap();
            let structure = read.structure.expect(name);
            let mut headings = String::new();
            for g in read.pages.iter().flat_map(|p| &p.glyphs) {
                let Marked::Element(i) = g.marked else {
                    panic!("{name}: glyph {:?} is not marked", g.text);
                };
                if let Some((_, StructRole::Heading(_))) = structure.role_of(i) {
                    headings.push_str(&g.text);
                }
            }
            let headings = fold(&headings);
            let gold: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join("gold").join(format!("{name}.json"))).unwrap(),
            )
            .unwrap();
            for section in gold["sections"].as_array().unwrap() {
                let title = fold(section["title"].as_str().unwrap());
                assert!(
                    headings.contains(&title),
                    "{name}: {title} not in {headings}"
                );
            }
        }
        assert_eq!(producers.len(), 4, "{producers:?}");
    }
}
