//! Keeps each character once in the PDF's text layer.
//!
//! Typst cuts a line's glyphs into text items wherever the vertical offset changes. A
//! Thai tone mark stacked over an upper vowel (นั้น, เยิ้ม, กึ่ง) is raised by the font's
//! mark-to-mark positioning, so it lands in an item of its own; but it belongs to the same
//! cluster as its base, and both items carry the cluster's whole text. Copying from the
//! PDF, searching it, or `pdftotext` then read "นั้นั้น". Here, an item that begins with
//! zero-width glyphs continuing the previous item's last cluster gives that text up, so
//! the cluster is read once, from the item that holds its base.

use typst::ecow::EcoString;
use typst::layout::{Em, Frame, FrameItem};
use typst::text::TextItem;
use typst_layout::{Page, PagedDocument};

pub fn join_split_clusters(document: PagedDocument) -> PagedDocument {
    let info = typst::model::Document::info(&document).clone();
    let pages: Vec<Page> = document
        .pages()
        .iter()
        .cloned()
        .map(|mut page| {
            join_in(&mut page.frame);
            page
        })
        .collect();
    PagedDocument::new(pages.into_iter().collect(), info)
}

fn join_in(frame: &mut Frame) {
    let mut previous: Option<EcoString> = None;
    frame.retain(|item| {
        match item {
            FrameItem::Group(group) => {
                join_in(&mut group.frame);
                previous = None;
            }
            FrameItem::Text(text) => {
                let whole = text.text.clone();
                if let Some(p) = &previous {
                    drop_continued_cluster(p, text);
                }
                previous = Some(whole);
            }
            _ => {}
        }
        true
    });
}

/// If `item` starts with the rest of the cluster that `previous` ends with, takes that
/// cluster's text out of `item` (its glyphs keep drawing, with no text of their own).
fn drop_continued_cluster(previous: &str, item: &mut TextItem) {
    let Some(first) = item.glyphs.first().map(|g| g.range.clone()) else {
        return;
    };
    let continues = first.start == 0
        && item
            .glyphs
            .iter()
            .filter(|g| g.range == first)
            .all(|g| g.x_advance == Em::zero());
    let Some(cluster) = item.text.get(first.start as usize..first.end as usize) else {
        return;
    };
    if !continues || cluster.is_empty() || !previous.ends_with(cluster) {
        return;
    }
    let cut = first.end;
    item.text = item.text[cut as usize..].into();
    for g in &mut item.glyphs {
        g.range = if g.range == first {
            0..0
        } else {
            g.range.start.saturating_sub(cut)..g.range.end.saturating_sub(cut)
        };
    }
}
