//! Printed reports, typeset by Typst used as a library: the data-return report of one
//! site and the synthesis of a study, as A4 PDF in Thai with Sarabun embedded.
//!
//! The report's words never pass through Typst markup: the data goes in as JSON that the
//! templates read (`json("report.json")`), so a quote containing `#`, `$` or `<script>`
//! prints as written and cannot change the layout.

mod clusters;
mod world;

use rian_core::report::{SiteReport, StudyReport};
use rian_core::{Error, Result};
use world::ReportWorld;

/// The fonts compiled into rian (fonts/README.md says where they come from), by file name.
pub const FONTS: &[(&str, &[u8])] = &[
    (
        "Sarabun-Regular.ttf",
        include_bytes!("../fonts/Sarabun-Regular.ttf"),
    ),
    (
        "Sarabun-Bold.ttf",
        include_bytes!("../fonts/Sarabun-Bold.ttf"),
    ),
    (
        "Sarabun-Italic.ttf",
        include_bytes!("../fonts/Sarabun-Italic.ttf"),
    ),
    (
        "Sarabun-BoldItalic.ttf",
        include_bytes!("../fonts/Sarabun-BoldItalic.ttf"),
    ),
];

const COMMON: &str = include_str!("../templates/common.typ");
const SITE: &str = include_str!("../templates/site.typ");
const STUDY: &str = include_str!("../templates/study.typ");

/// The data-return report of one site as PDF.
pub fn site_pdf(report: &SiteReport) -> Result<Vec<u8>> {
    let data = serde_json::to_vec(report).map_err(|e| Error::Typeset(e.to_string()))?;
    let mut files = vec![("report.json", data)];
    if !report.network_svg.is_empty() {
        files.push(("network.svg", report.network_svg.clone().into_bytes()));
    }
    typeset(
        SITE,
        files,
        &format!("{} {}", report.cover.title, report.cover.site),
    )
}

/// The study synthesis as PDF.
pub fn study_pdf(report: &StudyReport) -> Result<Vec<u8>> {
    let data = serde_json::to_vec(report).map_err(|e| Error::Typeset(e.to_string()))?;
    let mut files = vec![
        ("report.json", data),
        ("map.svg", report.map_svg.clone().into_bytes()),
    ];
    if !report.network_svg.is_empty() {
        files.push(("network.svg", report.network_svg.clone().into_bytes()));
    }
    typeset(
        STUDY,
        files,
        &format!("{} {}", report.cover.title, report.cover.study),
    )
}

fn typeset(main: &str, files: Vec<(&str, Vec<u8>)>, ident: &str) -> Result<Vec<u8>> {
    let world = ReportWorld::new(main, COMMON, files);
    let document: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| Error::Typeset(world.describe(&errors)))?;
    let document = clusters::join_split_clusters(document);
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_string()),
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| Error::Typeset(world.describe(&errors)));
    // Typst memoizes layout across calls; a long-running server keeps only what the last
    // few reports used, so memory stays bounded.
    typst::comemo::evict(KEEP_LAYOUTS);
    pdf
}

/// Reports whose memoized layout is kept for the next one (Typst's own CLI keeps 10).
const KEEP_LAYOUTS: usize = 10;

/// Drops every memoized layout, so the next report is typeset from nothing (benchmarks
/// time this cold case; a server sees it for the first report of a site).
pub fn forget_layouts() {
    typst::comemo::evict(0);
}
