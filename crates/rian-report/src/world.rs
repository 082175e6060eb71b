//! The little world a report is typeset in: one template, its shared preamble, the
//! report's data files, and the embedded fonts. Nothing is read from disk or the network.

use std::collections::HashMap;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Fonts and the standard library are built once per process: parsing them costs more
/// than typesetting a short report.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = crate::FONTS
        .iter()
        .flat_map(|(_, data)| Font::iter(Bytes::new(*data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// A file of the report's virtual project. Names are fixed, so the ids Typst interns
/// for them (forever, per process) stay few.
fn id(name: &str) -> FileId {
    let path = VirtualPath::new(name).expect("a plain file name");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

pub struct ReportWorld {
    main: Source,
    common: Source,
    files: HashMap<FileId, Bytes>,
}

impl ReportWorld {
    pub fn new(main: &str, common: &str, files: Vec<(&str, Vec<u8>)>) -> ReportWorld {
        ReportWorld {
            main: Source::new(id("main.typ"), main.to_string()),
            common: Source::new(id("common.typ"), common.to_string()),
            files: files
                .into_iter()
                .map(|(name, data)| (id(name), Bytes::new(data)))
                .collect(),
        }
    }

    /// Typst's messages as one line, for an error a person reads.
    pub fn describe(&self, errors: &EcoVec<SourceDiagnostic>) -> String {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        [&self.main, &self.common]
            .into_iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Ok(source) = self.source(id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Reports print the date rian gives them; templates never ask Typst for today.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(format!("{id:?}").into())
}
