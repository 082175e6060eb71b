//! The framework matrix (the Framework Method's chart): rows are sites, communities or
//! forums, columns are codes; each cell holds the coded passages that are its evidence
//! and the summary a researcher wrote beside them.

use super::*;

/// A row of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    pub id: i64,
    pub label: String,
    /// The site the row is (or is in).
    pub site_id: i64,
    pub href: String,
}

/// A column: a chosen code, counting the passages of every code under it.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixColumn {
    pub code_id: i64,
    pub key: String,
    pub name_th: String,
    pub name_en: String,
    pub color: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatrixCell {
    /// The coded passages, in document order.
    pub codings: Vec<i64>,
    /// How many documents they come from.
    pub documents: usize,
    pub summary: Option<String>,
}

impl MatrixCell {
    pub fn count(&self) -> usize {
        self.codings.len()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub rows_of: MatrixRows,
    pub rows: Vec<MatrixRow>,
    pub columns: Vec<MatrixColumn>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<MatrixCell>>,
}

/// What the matrix is made from, as the store gives it.
#[derive(Debug, Clone, Copy)]
pub struct StudyRecord<'a> {
    pub sites: &'a [Site],
    pub communities: &'a [Community],
    pub forums: &'a [Forum],
    pub codes: &'a [Code],
    pub passages: &'a [CodedPassage],
}

/// Whether a passage speaks of a community: it names it, with or without the word ชุมชน
/// in front. Write-ups seldom say which community a passage is about in any other way.
pub fn names_community(passage: &str, community: &Community) -> bool {
    let name = community.name_th.trim();
    let bare = name.strip_prefix("ชุมชน").unwrap_or(name).trim();
    !bare.is_empty() && passage.contains(bare)
}

/// Builds the matrix. `texts` gives the words of each passage by coding id; only rows of
/// communities need them.
pub fn matrix(
    record: StudyRecord<'_>,
    rows_of: MatrixRows,
    chosen: &[i64],
    scope: &Scope,
    summaries: &[CellSummary],
    texts: &HashMap<i64, String>,
) -> Matrix {
    let sites: HashMap<i64, &Site> = record.sites.iter().map(|s| (s.id, s)).collect();
    let in_scope: Vec<&Site> = {
        let mut v: Vec<&Site> = record.sites.iter().filter(|s| scope.has_site(s)).collect();
        v.sort_by_key(|s| (s.position, s.id));
        v
    };
    let site_order: HashMap<i64, usize> = in_scope
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let site_label = |id: i64| sites.get(&id).map(|s| s.display_name()).unwrap_or_default();
    let rows: Vec<MatrixRow> = match rows_of {
        MatrixRows::Site => in_scope
            .iter()
            .map(|s| MatrixRow {
                id: s.id,
                label: format!("{} {}", s.display_name(), s.province_display()),
                site_id: s.id,
                href: format!("/sites/{}", s.id),
            })
            .collect(),
        MatrixRows::Community => {
            let mut v: Vec<&Community> = record
                .communities
                .iter()
                .filter(|c| site_order.contains_key(&c.site_id))
                .collect();
            v.sort_by_key(|c| (site_order[&c.site_id], c.id));
            v.into_iter()
                .map(|c| MatrixRow {
                    id: c.id,
                    label: format!("{} ({})", c.name_th, site_label(c.site_id)),
                    site_id: c.site_id,
                    href: format!("/communities/{}/swot", c.id),
                })
                .collect()
        }
        MatrixRows::Forum => {
            let mut v: Vec<&Forum> = record
                .forums
                .iter()
                .filter(|f| site_order.contains_key(&f.site_id))
                .filter(|f| scope.kinds.is_empty() || scope.kinds.contains(&f.kind))
                .filter(|f| {
                    scope.years.is_empty()
                        || f.date.is_some_and(|d| scope.years.contains(&d.year_be()))
                })
                .collect();
            v.sort_by_key(|f| (site_order[&f.site_id], f.date, f.id));
            v.into_iter()
                .map(|f| {
                    let date = f.date.map(|d| d.display(Lang::Th)).unwrap_or_default();
                    MatrixRow {
                        id: f.id,
                        label: format!(
                            "{} {} {date}",
                            site_label(f.site_id),
                            f.kind.label(Lang::Th)
                        )
                        .trim()
                        .to_string(),
                        site_id: f.site_id,
                        href: format!("/forums/{}", f.id),
                    }
                })
                .collect()
        }
    };
    let by_id: HashMap<i64, &Code> = record.codes.iter().map(|c| (c.id, c)).collect();
    let columns: Vec<MatrixColumn> = chosen
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|c| MatrixColumn {
            code_id: c.id,
            key: c.key.clone(),
            name_th: c.name_th.clone(),
            name_en: c.name_en.clone(),
            color: c.color.clone(),
        })
        .collect();
    let chosen: Vec<i64> = columns.iter().map(|c| c.code_id).collect();
    let column_of = columns_of(record.codes, &chosen);
    let row_index: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut cells = vec![vec![MatrixCell::default(); columns.len()]; rows.len()];
    let mut seen_docs: Vec<Vec<Vec<i64>>> = vec![vec![Vec::new(); columns.len()]; rows.len()];
    let communities_of_site =
        |site: i64| record.communities.iter().filter(move |c| c.site_id == site);
    for p in scope.passages(record.passages, &sites) {
        let Some(cols) = column_of.get(&p.code_id) else {
            continue;
        };
        let row_ids: Vec<i64> = match rows_of {
            MatrixRows::Site => vec![p.site_id],
            MatrixRows::Forum => vec![p.forum_id],
            MatrixRows::Community => {
                let text = texts.get(&p.coding_id).map(String::as_str).unwrap_or("");
                communities_of_site(p.site_id)
                    .filter(|c| names_community(text, c))
                    .map(|c| c.id)
                    .collect()
            }
        };
        for row in row_ids.iter().filter_map(|id| row_index.get(id)) {
            for &col in cols {
                let cell = &mut cells[*row][col];
                if cell.codings.last() != Some(&p.coding_id) {
                    cell.codings.push(p.coding_id);
                }
                // Passages come in document order, so a document is new when it is not
                // the last one seen.
                let docs = &mut seen_docs[*row][col];
                if docs.last() != Some(&p.document_id) {
                    docs.push(p.document_id);
                }
            }
        }
    }
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            cell.documents = seen_docs[r][c].len();
        }
    }
    let column_index: HashMap<i64, usize> =
        chosen.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    for s in summaries.iter().filter(|s| s.row_kind == rows_of) {
        if let (Some(&r), Some(&c)) = (row_index.get(&s.row_id), column_index.get(&s.code_id)) {
            cells[r][c].summary = Some(s.text.clone());
        }
    }
    Matrix {
        rows_of,
        rows,
        columns,
        cells,
    }
}

impl Matrix {
    /// The table as a person reads it: a header row, then one row per row of the matrix,
    /// each cell "count" or "count — summary". Shared by the CSV and XLSX exports.
    pub fn table(&self, lang: Lang) -> Vec<Vec<String>> {
        let mut out = Vec::with_capacity(self.rows.len() + 1);
        let mut header = vec![self.rows_of.label(lang).to_string()];
        for c in &self.columns {
            let name = match lang {
                Lang::Th => &c.name_th,
                Lang::En => &c.name_en,
            };
            header.push(format!("{} {name}", c.key));
            header.push(match lang {
                Lang::Th => format!("{} สรุป", c.key),
                Lang::En => format!("{} summary", c.key),
            });
        }
        out.push(header);
        for (row, cells) in self.rows.iter().zip(&self.cells) {
            let mut line = vec![row.label.clone()];
            for cell in cells {
                line.push(cell.count().to_string());
                line.push(cell.summary.clone().unwrap_or_default());
            }
            out.push(line);
        }
        out
    }
}
