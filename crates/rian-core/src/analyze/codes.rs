//! How often codes are applied, which codes occur together, and sites side by side.

use super::*;

/// Where two codes count as occurring together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Within {
    Clause,
    Paragraph,
    Document,
}

impl Within {
    pub const ALL: [Within; 3] = [Within::Clause, Within::Paragraph, Within::Document];

    pub fn as_str(self) -> &'static str {
        match self {
            Within::Clause => "clause",
            Within::Paragraph => "paragraph",
            Within::Document => "document",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Within::Clause, Lang::Th) => "ในวลีเดียวกัน",
            (Within::Clause, Lang::En) => "Within a clause",
            (Within::Paragraph, Lang::Th) => "ในย่อหน้าเดียวกัน",
            (Within::Paragraph, Lang::En) => "Within a paragraph",
            (Within::Document, Lang::Th) => "ในเอกสารเดียวกัน",
            (Within::Document, Lang::En) => "Within a document",
        }
    }
}

impl std::str::FromStr for Within {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Within> {
        Within::ALL
            .into_iter()
            .find(|w| w.as_str() == s)
            .ok_or_else(|| crate::Error::UnknownValue {
                kind: "Within",
                value: s.to_string(),
            })
    }
}

/// How often a chosen code (with the codes under it) was applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frequency {
    pub code_id: i64,
    pub passages: usize,
    pub documents: usize,
    pub sites: usize,
}

/// Passages, documents and sites per chosen code, in the order chosen.
pub fn frequencies(codes: &[Code], passages: &[&CodedPassage], chosen: &[i64]) -> Vec<Frequency> {
    let column_of = columns_of(codes, chosen);
    let mut out: Vec<Frequency> = chosen
        .iter()
        .map(|&code_id| Frequency {
            code_id,
            ..Frequency::default()
        })
        .collect();
    let mut documents = vec![std::collections::HashSet::new(); chosen.len()];
    let mut sites = vec![std::collections::HashSet::new(); chosen.len()];
    for p in passages {
        for &c in column_of.get(&p.code_id).map(Vec::as_slice).unwrap_or(&[]) {
            out[c].passages += 1;
            documents[c].insert(p.document_id);
            sites[c].insert(p.site_id);
        }
    }
    for (f, (d, s)) in out.iter_mut().zip(documents.iter().zip(&sites)) {
        f.documents = d.len();
        f.sites = s.len();
    }
    out
}

/// How many clauses, paragraphs or documents hold both codes of each pair. The diagonal
/// holds how many hold the code at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cooccurrence {
    pub within: Within,
    pub codes: Vec<i64>,
    /// `counts[a][b]`, symmetric.
    pub counts: Vec<Vec<usize>>,
}

impl Cooccurrence {
    /// The pairs that occur together, most often first: (code a, code b, units).
    pub fn pairs(&self) -> Vec<(i64, i64, usize)> {
        let mut out = Vec::new();
        for a in 0..self.codes.len() {
            for b in a + 1..self.codes.len() {
                if self.counts[a][b] > 0 {
                    out.push((self.codes[a], self.codes[b], self.counts[a][b]));
                }
            }
        }
        out.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
        out
    }
}

/// Counts co-occurrence. `passages` must be in document order (as the store gives them).
pub fn cooccurrence(
    codes: &[Code],
    passages: &[&CodedPassage],
    chosen: &[i64],
    within: Within,
) -> Cooccurrence {
    let column_of = columns_of(codes, chosen);
    let n = chosen.len();
    let mut counts = vec![vec![0usize; n]; n];
    // Per document: (unit, column) for every unit a passage touches, then each unit's
    // distinct columns counted pairwise. Sorting one document's few pairs beats a map.
    let mut marks: Vec<(i64, usize)> = Vec::new();
    let mut flush = |marks: &mut Vec<(i64, usize)>| {
        marks.sort_unstable();
        marks.dedup();
        let mut i = 0;
        while i < marks.len() {
            let unit = marks[i].0;
            let mut j = i;
            while j < marks.len() && marks[j].0 == unit {
                j += 1;
            }
            for a in i..j {
                counts[marks[a].1][marks[a].1] += 1;
                for b in a + 1..j {
                    counts[marks[a].1][marks[b].1] += 1;
                    counts[marks[b].1][marks[a].1] += 1;
                }
            }
            i = j;
        }
        marks.clear();
    };
    let mut document = None;
    for p in passages {
        if document != Some(p.document_id) {
            flush(&mut marks);
            document = Some(p.document_id);
        }
        let Some(cols) = column_of.get(&p.code_id) else {
            continue;
        };
        let (first, last) = match within {
            Within::Clause => p.clauses,
            Within::Paragraph => p.paragraphs,
            Within::Document => (0, 0),
        };
        for unit in first..=last {
            for &c in cols {
                marks.push((unit, c));
            }
        }
    }
    flush(&mut marks);
    Cooccurrence {
        within,
        codes: chosen.to_vec(),
        counts,
    }
}

/// Sites side by side: passages per chosen code for each site, `[site][code]`.
pub fn compare(
    codes: &[Code],
    passages: &[&CodedPassage],
    chosen: &[i64],
    sites: &[i64],
) -> Vec<Vec<usize>> {
    let column_of = columns_of(codes, chosen);
    let mut out = vec![vec![0; chosen.len()]; sites.len()];
    let row: HashMap<i64, usize> = sites.iter().enumerate().map(|(i, &s)| (s, i)).collect();
    for p in passages {
        let Some(&r) = row.get(&p.site_id) else {
            continue;
        };
        for &c in column_of.get(&p.code_id).map(Vec::as_slice).unwrap_or(&[]) {
            out[r][c] += 1;
        }
    }
    out
}
