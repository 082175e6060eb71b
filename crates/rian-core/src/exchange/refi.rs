//! REFI-QDA (QDA-XML 1.0) as plain data, written and read as XML: the project file
//! `project.qde` and the codebook `.qdc`. Only what rian carries is modelled; what a
//! file holds beyond it (pictures, PDFs, audio, sets, graphs) is counted and reported,
//! never silently dropped.
//!
//! Positions of a text selection count Unicode code points from 0, end-exclusive, in
//! the source's plain text as stored in the file.

use super::Notice;
use quick_xml::events::{BytesStart, Event};

/// The project namespace.
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
/// The codebook namespace.
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
/// The most XML rian reads from one file.
pub const MAX_XML_BYTES: usize = 256 * 1024 * 1024;
/// Deepest nesting of elements read (code trees are a few levels deep).
const MAX_DEPTH: usize = 64;

/// A GUID as the standard writes it; kept lower-case without braces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Guid(pub String);

impl Guid {
    /// Reads a GUID in either case, with or without braces.
    pub fn parse(s: &str) -> Option<Guid> {
        let s = s.trim();
        let s = s
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(s);
        let groups: Vec<&str> = s.split('-').collect();
        let ok = groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
        ok.then(|| Guid(s.to_ascii_lowercase()))
    }

    /// A GUID made from a name: the same name gives the same GUID, so that a study
    /// exported twice keeps its GUIDs and other tools can match what they saw before.
    pub fn named(name: &str) -> Guid {
        use sha2::Digest;
        let h = sha2::Sha256::digest(name.as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&h[..16]);
        // RFC 9562 version 8 (custom), variant 10.
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        Guid(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }
}

impl std::fmt::Display for Guid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A whole project: what `project.qde` says, with the sources' text filled in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    pub name: String,
    pub origin: Option<String>,
    pub description: Option<String>,
    pub users: Vec<User>,
    pub codes: Vec<CodeNode>,
    pub variables: Vec<Variable>,
    pub cases: Vec<Case>,
    pub sources: Vec<TextSource>,
    pub notes: Vec<Note>,
    pub links: Vec<Link>,
    /// Notes on the project as a whole.
    pub note_refs: Vec<Guid>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct User {
    pub guid: Guid,
    pub name: String,
}

/// A code and the codes under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeNode {
    pub guid: Guid,
    pub name: String,
    pub codable: bool,
    /// `#rrggbb` or `#rgb`.
    pub color: Option<String>,
    pub description: Option<String>,
    pub note_refs: Vec<Guid>,
    pub children: Vec<CodeNode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind {
    Text,
    Boolean,
    Integer,
    Float,
    Date,
    DateTime,
}

impl VariableKind {
    fn as_str(self) -> &'static str {
        match self {
            VariableKind::Text => "Text",
            VariableKind::Boolean => "Boolean",
            VariableKind::Integer => "Integer",
            VariableKind::Float => "Float",
            VariableKind::Date => "Date",
            VariableKind::DateTime => "DateTime",
        }
    }

    fn parse(s: &str) -> Option<VariableKind> {
        Some(match s.trim() {
            "Text" => VariableKind::Text,
            "Boolean" => VariableKind::Boolean,
            "Integer" => VariableKind::Integer,
            "Float" => VariableKind::Float,
            "Date" => VariableKind::Date,
            "DateTime" => VariableKind::DateTime,
            _ => return None,
        })
    }

    /// The element that holds a value of this kind.
    fn element(self) -> &'static str {
        match self {
            VariableKind::Text => "TextValue",
            VariableKind::Boolean => "BooleanValue",
            VariableKind::Integer => "IntegerValue",
            VariableKind::Float => "FloatValue",
            VariableKind::Date => "DateValue",
            VariableKind::DateTime => "DateTimeValue",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub guid: Guid,
    pub name: String,
    pub kind: VariableKind,
    pub description: Option<String>,
}

/// A value of a variable, as the text of its element (`2566`, `2023-03-31`, `true`).
#[derive(Debug, Clone, PartialEq)]
pub struct VariableValue {
    pub variable: Guid,
    pub kind: VariableKind,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Case {
    pub guid: Guid,
    pub name: String,
    pub description: Option<String>,
    pub values: Vec<VariableValue>,
    pub sources: Vec<Guid>,
}

/// A plain-text source. `text` is what the source holds, inline or in the archive.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextSource {
    pub guid: Guid,
    pub name: String,
    pub description: Option<String>,
    /// `internal://…` or a path; None when the text was inline.
    pub plain_text_path: Option<String>,
    /// The text: inline content, or the archive's file once read.
    pub text: Option<String>,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    pub selections: Vec<Selection>,
    pub note_refs: Vec<Guid>,
    pub values: Vec<VariableValue>,
}

/// A plain-text selection and the codes applied to it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    pub guid: Guid,
    pub name: String,
    pub description: Option<String>,
    pub start: i64,
    pub end: i64,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    pub codings: Vec<CodingRef>,
    pub note_refs: Vec<Guid>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodingRef {
    pub guid: Guid,
    pub code: Guid,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
}

/// A note (memo): plain text with its author and time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Note {
    pub guid: Guid,
    pub name: String,
    pub text: String,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
}

/// A link between two objects; rian writes one from a note to the case it is about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    pub guid: Guid,
    pub name: String,
    pub origin: Option<Guid>,
    pub target: Option<Guid>,
}

// ---------------------------------------------------------------------------------------
// Writing

/// Text for an XML attribute or element: escaped, and without characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect();
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // In attributes a raw line end would be read back as a space.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Element text: as [`esc`] but line ends kept as they are (readable in the file).
fn esc_text(s: &str) -> String {
    esc(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

struct Xml {
    out: String,
}

impl Xml {
    fn open(&mut self, name: &str, attrs: &[(&str, Option<&str>)], empty: bool) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            if let Some(v) = v {
                self.out.push(' ');
                self.out.push_str(k);
                self.out.push_str("=\"");
                self.out.push_str(&esc(v));
                self.out.push('"');
            }
        }
        self.out.push_str(if empty { "/>" } else { ">" });
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn text_element(&mut self, name: &str, text: &str) {
        self.open(name, &[], false);
        self.out.push_str(&esc_text(text));
        self.close(name);
    }

    fn refs(&mut self, name: &str, guids: &[Guid]) {
        for g in guids {
            self.open(name, &[("targetGUID", Some(&g.0))], true);
        }
    }

    fn description(&mut self, d: &Option<String>) {
        if let Some(d) = d.as_deref().filter(|d| !d.is_empty()) {
            self.text_element("Description", d);
        }
    }

    fn code(&mut self, c: &CodeNode, project: bool) {
        let codable = if c.codable { "true" } else { "false" };
        let attrs = [
            ("guid", Some(c.guid.0.as_str())),
            ("name", Some(c.name.as_str())),
            ("isCodable", Some(codable)),
            ("color", c.color.as_deref()),
        ];
        let notes = project && !c.note_refs.is_empty();
        if c.description.is_none() && c.children.is_empty() && !notes {
            self.open("Code", &attrs, true);
            return;
        }
        self.open("Code", &attrs, false);
        self.description(&c.description);
        if project {
            self.refs("NoteRef", &c.note_refs);
        }
        for child in &c.children {
            self.code(child, project);
        }
        self.close("Code");
    }

    fn values(&mut self, values: &[VariableValue]) {
        for v in values {
            self.open("VariableValue", &[], false);
            self.open("VariableRef", &[("targetGUID", Some(&v.variable.0))], true);
            self.text_element(v.kind.element(), &v.value);
            self.close("VariableValue");
        }
    }
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

/// `project.qde`. Sources whose `plain_text_path` is set are referred to by it (their
/// text goes in the archive); the others carry their text inline.
pub fn write_project(p: &Project) -> String {
    let mut x = Xml {
        out: String::from(XML_HEAD),
    };
    x.open(
        "Project",
        &[
            ("xmlns", Some(PROJECT_NS)),
            ("name", Some(&p.name)),
            ("origin", p.origin.as_deref()),
        ],
        false,
    );
    if !p.users.is_empty() {
        x.open("Users", &[], false);
        for u in &p.users {
            x.open(
                "User",
                &[("guid", Some(&u.guid.0)), ("name", Some(&u.name))],
                true,
            );
        }
        x.close("Users");
    }
    if !p.codes.is_empty() {
        x.open("CodeBook", &[], false);
        x.open("Codes", &[], false);
        for c in &p.codes {
            x.code(c, true);
        }
        x.close("Codes");
        x.close("CodeBook");
    }
    if !p.variables.is_empty() {
        x.open("Variables", &[], false);
        for v in &p.variables {
            let attrs = [
                ("guid", Some(v.guid.0.as_str())),
                ("name", Some(v.name.as_str())),
                ("typeOfVariable", Some(v.kind.as_str())),
            ];
            if v.description.is_some() {
                x.open("Variable", &attrs, false);
                x.description(&v.description);
                x.close("Variable");
            } else {
                x.open("Variable", &attrs, true);
            }
        }
        x.close("Variables");
    }
    if !p.cases.is_empty() {
        x.open("Cases", &[], false);
        for c in &p.cases {
            x.open(
                "Case",
                &[("guid", Some(&c.guid.0)), ("name", Some(&c.name))],
                false,
            );
            x.description(&c.description);
            x.values(&c.values);
            x.refs("SourceRef", &c.sources);
            x.close("Case");
        }
        x.close("Cases");
    }
    if !p.sources.is_empty() {
        x.open("Sources", &[], false);
        for s in &p.sources {
            x.open(
                "TextSource",
                &[
                    ("guid", Some(&s.guid.0)),
                    ("name", Some(&s.name)),
                    ("plainTextPath", s.plain_text_path.as_deref()),
                    (
                        "creatingUser",
                        s.creating_user.as_ref().map(|g| g.0.as_str()),
                    ),
                    ("creationDateTime", s.created.as_deref()),
                ],
                false,
            );
            x.description(&s.description);
            if s.plain_text_path.is_none() {
                x.text_element("PlainTextContent", s.text.as_deref().unwrap_or(""));
            }
            for sel in &s.selections {
                let (start, end) = (sel.start.to_string(), sel.end.to_string());
                x.open(
                    "PlainTextSelection",
                    &[
                        ("guid", Some(&sel.guid.0)),
                        ("name", Some(&sel.name)),
                        ("startPosition", Some(&start)),
                        ("endPosition", Some(&end)),
                        (
                            "creatingUser",
                            sel.creating_user.as_ref().map(|g| g.0.as_str()),
                        ),
                        ("creationDateTime", sel.created.as_deref()),
                    ],
                    false,
                );
                x.description(&sel.description);
                for c in &sel.codings {
                    x.open(
                        "Coding",
                        &[
                            ("guid", Some(&c.guid.0)),
                            (
                                "creatingUser",
                                c.creating_user.as_ref().map(|g| g.0.as_str()),
                            ),
                            ("creationDateTime", c.created.as_deref()),
                        ],
                        false,
                    );
                    x.open("CodeRef", &[("targetGUID", Some(&c.code.0))], true);
                    x.close("Coding");
                }
                x.refs("NoteRef", &sel.note_refs);
                x.close("PlainTextSelection");
            }
            x.refs("NoteRef", &s.note_refs);
            x.values(&s.values);
            x.close("TextSource");
        }
        x.close("Sources");
    }
    if !p.notes.is_empty() {
        x.open("Notes", &[], false);
        for n in &p.notes {
            x.open(
                "Note",
                &[
                    ("guid", Some(&n.guid.0)),
                    ("name", Some(&n.name)),
                    (
                        "creatingUser",
                        n.creating_user.as_ref().map(|g| g.0.as_str()),
                    ),
                    ("creationDateTime", n.created.as_deref()),
                ],
                false,
            );
            x.text_element("PlainTextContent", &n.text);
            x.close("Note");
        }
        x.close("Notes");
    }
    if !p.links.is_empty() {
        x.open("Links", &[], false);
        for l in &p.links {
            x.open(
                "Link",
                &[
                    ("guid", Some(&l.guid.0)),
                    ("name", Some(&l.name)),
                    ("direction", Some("OneWay")),
                    ("originGUID", l.origin.as_ref().map(|g| g.0.as_str())),
                    ("targetGUID", l.target.as_ref().map(|g| g.0.as_str())),
                ],
                true,
            );
        }
        x.close("Links");
    }
    x.description(&p.description);
    x.refs("NoteRef", &p.note_refs);
    x.close("Project");
    x.out.push('\n');
    x.out
}

/// A codebook file (`.qdc`).
pub fn write_codebook(codes: &[CodeNode], origin: &str) -> String {
    let mut x = Xml {
        out: String::from(XML_HEAD),
    };
    x.open(
        "CodeBook",
        &[("xmlns", Some(CODEBOOK_NS)), ("origin", Some(origin))],
        false,
    );
    x.open("Codes", &[], false);
    for c in codes {
        x.code(c, false);
    }
    x.close("Codes");
    x.close("CodeBook");
    x.out.push('\n');
    x.out
}

// ---------------------------------------------------------------------------------------
// Reading

/// An element read from the file: local name, attributes, text and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn guid(&self, name: &str) -> Option<Guid> {
        self.attr(name).and_then(Guid::parse)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn child_text(&self, name: &str) -> Option<String> {
        self.first(name).map(|e| e.text.clone())
    }

    fn refs(&self, name: &str) -> Vec<Guid> {
        self.all(name)
            .filter_map(|e| e.guid("targetGUID"))
            .collect()
    }
}

fn bad(th: impl Into<String>, en: impl Into<String>) -> crate::Error {
    crate::Error::BadExchange {
        th: th.into(),
        en: en.into(),
    }
}

fn start_element(e: &BytesStart) -> crate::Result<Element> {
    let name = e.local_name().into_inner().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| bad(format!("XML เสีย: {err}"), format!("broken XML: {err}")))?;
        let key = a.key.local_name().into_inner().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| bad(format!("XML เสีย: {err}"), format!("broken XML: {err}")))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        ..Default::default()
    })
}

/// Reads XML into elements. A DOCTYPE is refused: QDA-XML has none, and entity
/// declarations are how hostile XML reaches files and memory.
fn parse(xml: &[u8]) -> crate::Result<Element> {
    if xml.len() > MAX_XML_BYTES {
        return Err(bad("ไฟล์ XML ใหญ่เกินกำหนด", "the XML is over the size limit"));
    }
    let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    let broken = |reader: &quick_xml::Reader<&[u8]>, e: quick_xml::Error| {
        bad(
            format!("XML เสียที่ไบต์ {}: {e}", reader.error_position()),
            format!("broken XML at byte {}: {e}", reader.error_position()),
        )
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if stack.len() > MAX_DEPTH {
                    return Err(bad("XML ซ้อนลึกเกินไป", "the XML is nested too deep"));
                }
                stack.push(start_element(&e)?);
            }
            Ok(Event::Empty(e)) => {
                let el = start_element(&e)?;
                stack.last_mut().expect("root").children.push(el);
            }
            Ok(Event::End(_)) => {
                let done = stack.pop().expect("open element");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Err(bad("XML ปิดแท็กเกิน", "the XML closes too many elements")),
                }
            }
            Ok(Event::Text(t)) => {
                let text = t.xml_content(quick_xml::XmlVersion::Implicit1_0);
                stack.last_mut().expect("root").text.push_str(&text);
            }
            Ok(Event::CData(t)) => {
                let text = t.replace("\r\n", "\n");
                stack.last_mut().expect("root").text.push_str(&text);
            }
            Ok(Event::GeneralRef(r)) => {
                let c = match r.clone().into_inner().as_ref() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                match c {
                    Some(c) => stack.last_mut().expect("root").text.push(c),
                    None => {
                        return Err(bad(
                            "XML อ้างถึงเอนทิตีที่ไม่รู้จัก",
                            "the XML refers to an unknown entity",
                        ));
                    }
                }
            }
            Ok(Event::DocType(_)) => {
                return Err(bad(
                    "ไฟล์ XML มี DOCTYPE ซึ่ง REFI-QDA ไม่ใช้ (ปฏิเสธเพื่อความปลอดภัย)",
                    "the XML has a DOCTYPE, which REFI-QDA does not use (refused for safety)",
                ));
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(broken(&reader, e)),
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(bad("XML จบไม่ครบ", "the XML ends inside an element"));
    }
    let mut root = stack.pop().expect("root");
    match root.children.len() {
        1 => Ok(root.children.pop().expect("one")),
        _ => Err(bad("XML ไม่มีรากเดียว", "the XML has no single root element")),
    }
}

fn code_node(e: &Element, notices: &mut Vec<Notice>) -> Option<CodeNode> {
    let Some(guid) = e.guid("guid") else {
        notices.push(Notice::new(
            format!(
                "รหัส \"{}\" ไม่มี GUID ที่ถูกต้อง ข้ามไป",
                e.attr("name").unwrap_or("")
            ),
            format!(
                "code \"{}\" has no valid GUID; left out",
                e.attr("name").unwrap_or("")
            ),
        ));
        return None;
    };
    Some(CodeNode {
        guid,
        name: e.attr("name").unwrap_or("").trim().to_string(),
        codable: e
            .attr("isCodable")
            .is_none_or(|v| v.trim() != "false" && v.trim() != "0"),
        color: e.attr("color").map(str::to_string),
        description: e.child_text("Description"),
        note_refs: e.refs("NoteRef"),
        children: e
            .all("Code")
            .filter_map(|c| code_node(c, notices))
            .collect(),
    })
}

fn values(e: &Element, variables: &[Variable]) -> Vec<VariableValue> {
    e.all("VariableValue")
        .filter_map(|v| {
            let variable = v.first("VariableRef")?.guid("targetGUID")?;
            let kind = variables
                .iter()
                .find(|x| x.guid == variable)
                .map(|x| x.kind)?;
            let value = v.children.iter().find(|c| c.name.ends_with("Value"))?;
            Some(VariableValue {
                variable,
                kind,
                value: value.text.trim().to_string(),
            })
        })
        .collect()
}

fn text_source(
    e: &Element,
    variables: &[Variable],
    notices: &mut Vec<Notice>,
) -> Option<TextSource> {
    let name = e.attr("name").unwrap_or("").to_string();
    let Some(guid) = e.guid("guid") else {
        notices.push(Notice::new(
            format!("แหล่งข้อมูล \"{name}\" ไม่มี GUID ที่ถูกต้อง ข้ามไป"),
            format!("source \"{name}\" has no valid GUID; left out"),
        ));
        return None;
    };
    let mut selections = Vec::new();
    for s in e.all("PlainTextSelection") {
        let (Some(sguid), Some(start), Some(end)) = (
            s.guid("guid"),
            s.attr("startPosition")
                .and_then(|v| v.trim().parse::<i64>().ok()),
            s.attr("endPosition")
                .and_then(|v| v.trim().parse::<i64>().ok()),
        ) else {
            notices.push(Notice::new(
                format!("ช่วงข้อความหนึ่งใน \"{name}\" ไม่มี GUID หรือตำแหน่งที่ถูกต้อง ข้ามไป"),
                format!("a selection in \"{name}\" has no valid GUID or positions; left out"),
            ));
            continue;
        };
        let codings = s
            .all("Coding")
            .filter_map(|c| {
                Some(CodingRef {
                    guid: c.guid("guid")?,
                    code: c.first("CodeRef")?.guid("targetGUID")?,
                    creating_user: c.guid("creatingUser"),
                    created: c.attr("creationDateTime").map(str::to_string),
                })
            })
            .collect();
        selections.push(Selection {
            guid: sguid,
            name: s.attr("name").unwrap_or("").to_string(),
            description: s.child_text("Description"),
            start,
            end,
            creating_user: s.guid("creatingUser"),
            created: s.attr("creationDateTime").map(str::to_string),
            codings,
            note_refs: s.refs("NoteRef"),
        });
    }
    let whole: Vec<&Element> = e.all("Coding").collect();
    if !whole.is_empty() {
        notices.push(Notice::new(
            format!(
                "การลงรหัสทั้งแหล่งข้อมูล \"{name}\" {} รายการ ไม่ได้นำเข้า (rian ลงรหัสเป็นช่วงข้อความ)",
                whole.len()
            ),
            format!(
                "{} codings of the whole source \"{name}\" left out (rian codes passages)",
                whole.len()
            ),
        ));
    }
    Some(TextSource {
        guid,
        name,
        description: e.child_text("Description"),
        plain_text_path: e.attr("plainTextPath").map(str::to_string),
        text: e.child_text("PlainTextContent"),
        creating_user: e.guid("creatingUser"),
        created: e.attr("creationDateTime").map(str::to_string),
        selections,
        note_refs: e.refs("NoteRef"),
        values: values(e, variables),
    })
}

fn expect_root(root: &Element, name: &str) -> crate::Result<()> {
    if root.name != name {
        return Err(bad(
            format!("ไม่ใช่ไฟล์ REFI-QDA: รากคือ <{}> แทน <{name}>", root.name),
            format!(
                "not a REFI-QDA file: the root is <{}>, not <{name}>",
                root.name
            ),
        ));
    }
    Ok(())
}

/// Reads `project.qde`. What rian cannot carry is listed in the notices.
pub fn read_project(xml: &[u8]) -> crate::Result<(Project, Vec<Notice>)> {
    let root = parse(xml)?;
    expect_root(&root, "Project")?;
    let mut notices = Vec::new();
    let mut p = Project {
        name: root.attr("name").unwrap_or("").trim().to_string(),
        origin: root.attr("origin").map(str::to_string),
        description: root.child_text("Description"),
        note_refs: root.refs("NoteRef"),
        ..Default::default()
    };
    if let Some(users) = root.first("Users") {
        p.users = users
            .all("User")
            .filter_map(|u| {
                Some(User {
                    guid: u.guid("guid")?,
                    name: u.attr("name").unwrap_or("").to_string(),
                })
            })
            .collect();
    }
    if let Some(codes) = root.first("CodeBook").and_then(|b| b.first("Codes")) {
        p.codes = codes
            .all("Code")
            .filter_map(|c| code_node(c, &mut notices))
            .collect();
    }
    if let Some(vars) = root.first("Variables") {
        for v in vars.all("Variable") {
            let name = v.attr("name").unwrap_or("").to_string();
            match (
                v.guid("guid"),
                v.attr("typeOfVariable").and_then(VariableKind::parse),
            ) {
                (Some(guid), Some(kind)) => p.variables.push(Variable {
                    guid,
                    name,
                    kind,
                    description: v.child_text("Description"),
                }),
                _ => notices.push(Notice::new(
                    format!("ตัวแปร \"{name}\" ไม่มี GUID หรือชนิดที่ถูกต้อง ข้ามไป"),
                    format!("variable \"{name}\" has no valid GUID or type; left out"),
                )),
            }
        }
    }
    if let Some(cases) = root.first("Cases") {
        for c in cases.all("Case") {
            let Some(guid) = c.guid("guid") else {
                continue;
            };
            let selection_refs = c.all("SelectionRef").count();
            let code_refs = c.all("CodeRef").count();
            if selection_refs + code_refs > 0 {
                notices.push(Notice::new(
                    format!(
                        "กรณี \"{}\": การอ้างถึงรหัส/ช่วงข้อความ {} รายการไม่ได้นำเข้า",
                        c.attr("name").unwrap_or(""),
                        selection_refs + code_refs
                    ),
                    format!(
                        "case \"{}\": {} code or selection references left out",
                        c.attr("name").unwrap_or(""),
                        selection_refs + code_refs
                    ),
                ));
            }
            p.cases.push(Case {
                guid,
                name: c.attr("name").unwrap_or("").trim().to_string(),
                description: c.child_text("Description"),
                values: values(c, &p.variables),
                sources: c.refs("SourceRef"),
            });
        }
    }
    if let Some(sources) = root.first("Sources") {
        let mut other: std::collections::BTreeMap<&str, usize> = Default::default();
        for s in &sources.children {
            if s.name == "TextSource" {
                if let Some(t) = text_source(s, &p.variables, &mut notices) {
                    p.sources.push(t);
                }
            } else {
                *other.entry(s.name.as_str()).or_default() += 1;
            }
        }
        for (kind, n) in other {
            notices.push(Notice::new(
                format!("แหล่งข้อมูลชนิด {kind} {n} รายการไม่ได้นำเข้า (rian รับเฉพาะข้อความ)"),
                format!("{n} {kind} sources left out (rian takes text sources only)"),
            ));
        }
    }
    if let Some(notes) = root.first("Notes") {
        for n in notes.all("Note") {
            let Some(guid) = n.guid("guid") else { continue };
            p.notes.push(Note {
                guid,
                name: n.attr("name").unwrap_or("").to_string(),
                text: n.child_text("PlainTextContent").unwrap_or_default(),
                creating_user: n.guid("creatingUser"),
                created: n.attr("creationDateTime").map(str::to_string),
            });
            if n.attr("plainTextPath").is_some() && n.first("PlainTextContent").is_none() {
                notices.push(Notice::new(
                    format!(
                        "บันทึก \"{}\" เก็บข้อความไว้นอกไฟล์โครงการ จึงว่างเปล่า",
                        n.attr("name").unwrap_or("")
                    ),
                    format!(
                        "note \"{}\" keeps its text outside the project file; it is empty",
                        n.attr("name").unwrap_or("")
                    ),
                ));
            }
        }
    }
    if let Some(links) = root.first("Links") {
        p.links = links
            .all("Link")
            .filter_map(|l| {
                Some(Link {
                    guid: l.guid("guid")?,
                    name: l.attr("name").unwrap_or("").to_string(),
                    origin: l.guid("originGUID"),
                    target: l.guid("targetGUID"),
                })
            })
            .collect();
    }
    for (element, th, en) in [
        ("Sets", "ชุด (Sets)", "sets"),
        ("Graphs", "แผนภาพ (Graphs)", "graphs"),
    ] {
        if let Some(e) = root.first(element) {
            let n = e.children.len();
            notices.push(Notice::new(
                format!("{th} {n} รายการไม่ได้นำเข้า"),
                format!("{n} {en} left out"),
            ));
        }
    }
    Ok((p, notices))
}

/// A codebook file's codes and who wrote it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Codebook {
    pub origin: Option<String>,
    pub codes: Vec<CodeNode>,
}

/// Reads a codebook file (`.qdc`).
pub fn read_codebook(xml: &[u8]) -> crate::Result<(Codebook, Vec<Notice>)> {
    let root = parse(xml)?;
    expect_root(&root, "CodeBook")?;
    let mut notices = Vec::new();
    let codes = root
        .first("Codes")
        .map(|c| {
            c.all("Code")
                .filter_map(|c| code_node(c, &mut notices))
                .collect()
        })
        .unwrap_or_default();
    if let Some(sets) = root.first("Sets") {
        notices.push(Notice::new(
            format!("ชุด (Sets) {} รายการไม่ได้นำเข้า", sets.children.len()),
            format!("{} sets left out", sets.children.len()),
        ));
    }
    Ok((
        Codebook {
            origin: root.attr("origin").map(str::to_string),
            codes,
        },
        notices,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_in_either_case_and_braces() {
        let g = Guid::parse("{ABCDEF01-2345-6789-ABCD-EF0123456789}").unwrap();
        assert_eq!(g.0, "abcdef01-2345-6789-abcd-ef0123456789");
        assert_eq!(Guid::parse("abcdef01-2345-6789-abcd-ef0123456789"), Some(g));
        assert_eq!(Guid::parse("abcdef01-2345-6789-abcd-ef012345678"), None);
        assert_eq!(Guid::parse("zbcdef01-2345-6789-abcd-ef0123456789"), None);
        let n = Guid::named("rian:study:1");
        assert_eq!(Guid::parse(&n.0), Some(n.clone()));
        assert_eq!(n, Guid::named("rian:study:1"));
        assert_ne!(n, Guid::named("rian:study:2"));
    }

    #[test]
    fn text_and_attributes_round_trip_with_markup_and_thai() {
        let p = Project {
            name: "โครงการ <ทดสอบ> & \"quotes\"".into(),
            origin: Some("rian".into()),
            sources: vec![TextSource {
                guid: Guid::named("s"),
                name: "ชื่อ\nสองบรรทัด".into(),
                text: Some("ข้อความ <b>&amp;</b>\nบรรทัดสอง\tแท็บ".into()),
                selections: vec![Selection {
                    guid: Guid::named("sel"),
                    name: "ข้อความ".into(),
                    start: 0,
                    end: 7,
                    codings: vec![CodingRef {
                        guid: Guid::named("c"),
                        code: Guid::named("code"),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let xml = write_project(&p);
        let (back, notices) = read_project(xml.as_bytes()).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, p);
    }

    #[test]
    fn refuses_doctype_and_foreign_roots() {
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>"#;
        let e = read_project(xxe).unwrap_err().to_string();
        assert!(e.contains("DOCTYPE"), "{e}");
        let e = read_project(b"<CodeBook/>").unwrap_err().to_string();
        assert!(e.contains("<CodeBook>"), "{e}");
        assert!(read_project(b"<Project name='x'>").is_err());
        assert!(read_project(b"").is_err());
    }

    #[test]
    fn reads_crlf_content_as_lf_and_counts_what_it_leaves_out() {
        let xml = "<?xml version=\"1.0\"?>\r\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"P\">\r\n<Sources>\r\n<TextSource guid=\"{0A0B0C0D-0000-0000-0000-00000000000A}\" name=\"t\"><PlainTextContent>หนึ่ง\r\nสอง</PlainTextContent></TextSource>\r\n<PictureSource guid=\"0a0b0c0d-0000-0000-0000-00000000000b\" name=\"p\"/>\r\n</Sources><Sets><Set guid=\"0a0b0c0d-0000-0000-0000-00000000000c\" name=\"s\"/></Sets></Project>";
        let (p, notices) = read_project(xml.as_bytes()).unwrap();
        assert_eq!(p.sources.len(), 1);
        assert_eq!(p.sources[0].guid.0, "0a0b0c0d-0000-0000-0000-00000000000a");
        assert_eq!(p.sources[0].text.as_deref(), Some("หนึ่ง\nสอง"));
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert!(notices.iter().any(|n| n.en.contains("PictureSource")));
    }
}
