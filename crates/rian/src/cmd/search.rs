//! `rian search`, `rian concordance`, `rian reindex`: the full-text index from the shell.

use super::{location, open};
use crate::cli::{ConcordanceArgs, FilterArgs, SearchArgs, StoreArgs};
use crate::table;
use rian_core::Result;
use rian_core::model::Lang;
use rian_core::search::{FacetCount, FilterText, Rebuilt, Request};
use rian_core::store::{OpenMode, Store};
use std::io::{IsTerminal, Write};
use std::time::Instant;

fn filter_text(f: &FilterArgs) -> FilterText {
    FilterText {
        sites: f.site.clone(),
        provinces: f.province.clone(),
        codes: f.code.clone(),
        kinds: f.kind.clone(),
        years: f.year.clone(),
        units: Vec::new(),
        from: f.from.clone(),
        to: f.to.clone(),
    }
}

pub async fn search(args: &StoreArgs, a: &SearchArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let mut text = filter_text(&a.filter);
    text.units = a.only.clone();
    let mut request = Request::new(a.query.as_str());
    request.filter = text.resolve(&store).await?;
    request.limit = a.limit;
    request.offset = a.offset;
    let found = store.search_index()?.search(&store, &request).await?;
    store.close().await;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&found).map_err(std::io::Error::other)?
        );
        return Ok(());
    }
    let (open_mark, close_mark) = if std::io::stdout().is_terminal() {
        ("\x1b[1;4m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    let mut out = std::io::stdout().lock();
    if found.hits.is_empty() {
        writeln!(out, "ไม่พบ / nothing found: {}", a.query)?;
    } else {
        writeln!(
            out,
            "พบ {} รายการ / {} hits · แสดง / showing {}–{}",
            found.total,
            found.total,
            a.offset + 1,
            a.offset + found.hits.len()
        )?;
    }
    for w in &found.widened {
        writeln!(
            out,
            "ไม่พบ \"{w}\" เป็นคำ จึงหาเป็นส่วนหนึ่งของคำ / \"{w}\" is not found as a word; looked for inside words"
        )?;
    }
    for (i, h) in found.hits.iter().enumerate() {
        let mut place = vec![h.unit.label(Lang::Th).to_string()];
        if let Some(code) = &h.code {
            place[0] = format!("{} [{}]", place[0], code.name);
        }
        if let Some(site) = &h.site {
            let province = h.province.as_deref().unwrap_or("");
            place.push(format!("{} จ.{province}", site.name));
        }
        if let Some(kind) = h.forum_kind {
            place.push(kind.label(Lang::Th).to_string());
        }
        if let Some(date) = &h.date_be {
            place.push(date.clone());
        }
        writeln!(out, "\n{}. {}", a.offset + i + 1, place.join(" · "))?;
        let mut line = String::new();
        if h.snippet.cut_before {
            line.push('…');
        }
        for (piece, marked) in h.snippet.pieces() {
            let piece = piece.replace(['\n', '\r'], " ");
            if marked {
                line.push_str(&format!("{open_mark}{piece}{close_mark}"));
            } else {
                line.push_str(&piece);
            }
        }
        if h.snippet.cut_after {
            line.push('…');
        }
        writeln!(out, "   {line}")?;
        writeln!(out, "   {}", h.link)?;
    }
    if found.pending > 0 {
        writeln!(
            out,
            "\nยังมีการแก้ไข {} รายการที่ดัชนียังไม่ได้รวม (rian serve กำลังใช้ดัชนีอยู่) / {} changes are not yet in the index (a running rian serve holds it)",
            found.pending, found.pending
        )?;
    }
    if !found.hits.is_empty() {
        writeln!(out)?;
        let f = &found.facets;
        let facets = [
            ("พื้นที่/site", &f.site, "site"),
            ("จังหวัด/province", &f.province, "province"),
            ("รหัส/code", &f.code, "code"),
            ("เวที/forum", &f.kind, "kind"),
            ("ปี/year", &f.year, "year"),
            ("ชนิด/kind", &f.unit, "unit"),
        ];
        for (name, counts, root) in facets {
            if !counts.is_empty() {
                let unlisted = f.more.get(root).copied().unwrap_or(0);
                writeln!(out, "{name}: {}", facet_line(counts, unlisted))?;
            }
        }
    }
    Ok(())
}

/// The first values of a facet, and how many more there are (`unlisted`: left out of the
/// results already).
fn facet_line(counts: &[FacetCount], unlisted: usize) -> String {
    let shown: Vec<String> = counts
        .iter()
        .take(8)
        .map(|c| format!("{} ({})", c.label, c.count))
        .collect();
    let more = counts.len().saturating_sub(8) + unlisted;
    if more > 0 {
        format!("{} … +{more}", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

pub async fn concordance(args: &StoreArgs, a: &ConcordanceArgs) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let filter = filter_text(&a.filter).resolve(&store).await?;
    let k = store
        .search_index()?
        .concordance(&store, &a.query, &filter, a.width.clamp(5, 500), a.limit)
        .await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    if a.csv {
        out.write_all(k.to_csv().as_bytes())?;
        return Ok(());
    }
    if k.lines.is_empty() {
        writeln!(out, "ไม่พบ / nothing found: {}", a.query)?;
        return Ok(());
    }
    // Keyword in context: the left side flush right, so every keyword stands in one column.
    let place = |l: &rian_core::search::ConcordanceLine| {
        format!(
            "{} {}",
            l.site.as_ref().map(|s| s.name.as_str()).unwrap_or(""),
            l.date_be.as_deref().unwrap_or("")
        )
    };
    let flat = |s: &str| s.replace(['\n', '\r'], " ");
    let place_width = k
        .lines
        .iter()
        .map(|l| table::width(&place(l)))
        .max()
        .unwrap_or(0);
    let left_width = k
        .lines
        .iter()
        .map(|l| table::width(&flat(&l.line.left)))
        .max()
        .unwrap_or(0);
    for l in &k.lines {
        let (p, left) = (place(l), flat(&l.line.left));
        writeln!(
            out,
            "{p}{}  {}{left}  {}  {}",
            " ".repeat(place_width - table::width(&p)),
            " ".repeat(left_width - table::width(&left)),
            l.line.keyword,
            flat(&l.line.right)
        )?;
    }
    writeln!(
        out,
        "{} บรรทัด จาก {} เอกสาร / {} lines in {} documents{}",
        k.lines.len(),
        k.documents,
        k.lines.len(),
        k.documents,
        if k.truncated {
            " (ตัดที่ขีดจำกัด / cut at the limit)"
        } else {
            ""
        }
    )?;
    Ok(())
}

pub async fn reindex(args: &StoreArgs) -> Result<()> {
    let store = Store::open_unindexed(&location(args)?, OpenMode::Existing).await?;
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let total = store.document_total().await?;
    let done = store
        .search_index()?
        .rebuild(&store, &mut |r: Rebuilt| {
            if tty {
                eprint!(
                    "\r  เอกสาร / documents {}/{total} · ข้อความที่ลงรหัส / passages {} · บันทึก / memos {}",
                    r.documents, r.codings, r.memos
                );
            }
        })
        .await?;
    if tty {
        eprintln!();
    }
    store.close().await;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "สร้างดัชนีค้นหาใหม่แล้ว / search index rebuilt: เอกสาร {} documents, ข้อความที่ลงรหัส {} coded passages, บันทึก {} memos ({:.1} MB) ใน {secs:.1} วินาที / in {secs:.1} s",
        done.documents,
        done.codings,
        done.memos,
        done.bytes as f64 / 1e6
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facet_line_counts_the_values_left_out_of_the_results_too() {
        let counts: Vec<FacetCount> = (0..10)
            .map(|i| FacetCount {
                value: i.to_string(),
                label: format!("ต.{i}"),
                count: 20 - i,
            })
            .collect();
        let line = facet_line(&counts, 5);
        assert!(line.starts_with("ต.0 (20), ต.1 (19)"), "{line}");
        assert!(line.ends_with("ต.7 (13) … +7"), "{line}");
        assert_eq!(facet_line(&counts[..3], 0), "ต.0 (20), ต.1 (19), ต.2 (18)");
        assert_eq!(
            facet_line(&counts[..3], 4),
            "ต.0 (20), ต.1 (19), ต.2 (18) … +4"
        );
    }
}
