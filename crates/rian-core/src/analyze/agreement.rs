//! Agreement between two coders who coded the same documents: for every clause of those
//! documents and every code, did each coder apply the code there? From those yes/no
//! pairs, per code and over all codes: percent agreement, Cohen's kappa and
//! Krippendorff's alpha (nominal, two coders, no missing values), and the clauses where
//! they differ, for the two to reconcile.
//!
//! The unit is the clause (Thai writes clauses between spaces; [`super::units`]): fine
//! enough that two codings of different sentences count apart, coarse enough that
//! selections ending a word apart still agree.

use super::units::Units;
use crate::model::{Code, Coding, Document, Span};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The four counts of a code over the units: both applied it, only the first coder,
/// only the second, neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Table {
    pub both: u64,
    pub only_a: u64,
    pub only_b: u64,
    pub neither: u64,
}

impl Table {
    pub fn units(&self) -> u64 {
        self.both + self.only_a + self.only_b + self.neither
    }

    fn add(&mut self, a: bool, b: bool) {
        match (a, b) {
            (true, true) => self.both += 1,
            (true, false) => self.only_a += 1,
            (false, true) => self.only_b += 1,
            (false, false) => self.neither += 1,
        }
    }

    fn plus(mut self, o: &Table) -> Table {
        self.both += o.both;
        self.only_a += o.only_a;
        self.only_b += o.only_b;
        self.neither += o.neither;
        self
    }

    /// The share of units where the two said the same.
    pub fn percent(&self) -> Option<f64> {
        let n = self.units() as f64;
        (n > 0.0).then(|| (self.both + self.neither) as f64 / n * 100.0)
    }

    /// Cohen's kappa: agreement beyond what the coders' own rates give by chance. None
    /// when chance alone agrees on every unit (both coders never, or always, apply it).
    pub fn kappa(&self) -> Option<f64> {
        let n = self.units() as f64;
        if n == 0.0 {
            return None;
        }
        let observed = (self.both + self.neither) as f64 / n;
        let a = (self.both + self.only_a) as f64 / n;
        let b = (self.both + self.only_b) as f64 / n;
        let chance = a * b + (1.0 - a) * (1.0 - b);
        (chance < 1.0).then(|| (observed - chance) / (1.0 - chance))
    }

    /// Krippendorff's alpha for nominal values, two coders, every unit coded by both:
    /// 1 − (n − 1)·(disagreeing pairs) / (n₀·n₁), n the 2N values, n₁ the "applied" ones.
    /// None when every value is the same (no variation to agree on).
    pub fn alpha(&self) -> Option<f64> {
        let n = 2 * self.units();
        let applied = 2 * self.both + self.only_a + self.only_b;
        let not = n - applied;
        if n < 2 || applied == 0 || not == 0 {
            return None;
        }
        let disagree = (self.only_a + self.only_b) as f64;
        Some(1.0 - (n - 1) as f64 * disagree / (applied as f64 * not as f64))
    }
}

/// A clause where the coders differ.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Difference {
    pub document_id: i64,
    pub span: Span,
    pub text: String,
    /// Codes only the first coder applied here, by id.
    pub only_a: Vec<i64>,
    pub only_b: Vec<i64>,
}

/// One code's agreement, with the yes/no the coders gave each unit (in the order of
/// [`Agreement::units`]) so that anyone can recompute the figures.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CodeAgreement {
    pub code_id: i64,
    pub table: Table,
    pub percent: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub a: Vec<u8>,
    pub b: Vec<u8>,
}

/// A unit: a clause of a document.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Unit {
    pub document_id: i64,
    pub span: Span,
}

/// What two coders agree on.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Agreement {
    pub coder_a: String,
    pub coder_b: String,
    /// The documents both coded.
    pub documents: Vec<i64>,
    /// The units, in order.
    pub units: Vec<Unit>,
    pub codes: Vec<CodeAgreement>,
    /// Every (unit, code) pair counted together.
    pub overall: Table,
    pub percent: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub differences: Vec<Difference>,
}

/// Compares the codings of `a` and `b` (their accepted codings, by coder name) over the
/// documents both coded. `codes` orders the result.
pub fn agreement(
    coder_a: &str,
    coder_b: &str,
    documents: &[Document],
    codings: &[Coding],
    codes: &[Code],
) -> Agreement {
    use crate::model::CodingStatus;
    let by = |name: &str, doc: i64| -> Vec<&Coding> {
        codings
            .iter()
            .filter(|c| {
                c.document_id == doc && c.coder == name && c.status == CodingStatus::Accepted
            })
            .collect()
    };
    let mut units = Vec::new();
    let mut both_docs = Vec::new();
    // Per unit: the codes each coder applied there.
    let mut applied: Vec<(BTreeSet<i64>, BTreeSet<i64>)> = Vec::new();
    let mut texts = Vec::new();
    for d in documents {
        let (a, b) = (by(coder_a, d.id), by(coder_b, d.id));
        if a.is_empty() || b.is_empty() {
            continue;
        }
        both_docs.push(d.id);
        let chars: Vec<char> = d.text.chars().collect();
        for (start, end) in Units::of(&d.text).clause_spans(chars.len() as i64) {
            let text: String = chars[start as usize..end as usize].iter().collect();
            // Spaces and line ends between clauses are nobody's to code.
            if text.trim().is_empty() {
                continue;
            }
            let on = |cs: &[&Coding]| -> BTreeSet<i64> {
                cs.iter()
                    .filter(|c| c.span.start < end && c.span.end > start)
                    .map(|c| c.code_id)
                    .collect()
            };
            applied.push((on(&a), on(&b)));
            units.push(Unit {
                document_id: d.id,
                span: Span { start, end },
            });
            texts.push(text.trim().to_string());
        }
    }
    let used: BTreeSet<i64> = applied
        .iter()
        .flat_map(|(a, b)| a.iter().chain(b))
        .copied()
        .collect();
    let order: HashMap<i64, usize> = codes.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut used: Vec<i64> = used.into_iter().collect();
    used.sort_by_key(|id| (order.get(id).copied().unwrap_or(usize::MAX), *id));
    let mut per_code = Vec::new();
    let mut overall = Table::default();
    for &code in &used {
        let mut table = Table::default();
        let (mut va, mut vb) = (Vec::new(), Vec::new());
        for (a, b) in &applied {
            let (x, y) = (a.contains(&code), b.contains(&code));
            table.add(x, y);
            va.push(u8::from(x));
            vb.push(u8::from(y));
        }
        overall = overall.plus(&table);
        per_code.push(CodeAgreement {
            code_id: code,
            percent: table.percent(),
            kappa: table.kappa(),
            alpha: table.alpha(),
            table,
            a: va,
            b: vb,
        });
    }
    let differences = applied
        .iter()
        .zip(&units)
        .zip(texts)
        .filter(|(((a, b), _), _)| a != b)
        .map(|(((a, b), unit), text)| Difference {
            document_id: unit.document_id,
            span: unit.span,
            text,
            only_a: a.difference(b).copied().collect(),
            only_b: b.difference(a).copied().collect(),
        })
        .collect();
    Agreement {
        coder_a: coder_a.to_string(),
        coder_b: coder_b.to_string(),
        documents: both_docs,
        units,
        codes: per_code,
        percent: overall.percent(),
        kappa: overall.kappa(),
        alpha: overall.alpha(),
        overall,
        differences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: 10 units, both 3, only A 1, only B 2, neither 4.
    /// Percent = 7/10 = 70 %. pA = 0.4, pB = 0.5, chance = 0.2 + 0.3 = 0.5,
    /// kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4.
    /// Alpha: n = 20, n₁ = 2·3 + 1 + 2 = 9, n₀ = 11, disagreeing = 3:
    /// 1 − 19·3/(9·11) = 1 − 57/99 = 0.424242…
    #[test]
    fn a_table_worked_by_hand() {
        let t = Table {
            both: 3,
            only_a: 1,
            only_b: 2,
            neither: 4,
        };
        assert!((t.percent().unwrap() - 70.0).abs() < 1e-9);
        assert!((t.kappa().unwrap() - 0.4).abs() < 1e-9);
        assert!((t.alpha().unwrap() - (1.0 - 57.0 / 99.0)).abs() < 1e-9);
    }

    #[test]
    fn perfect_agreement_and_no_variation() {
        let perfect = Table {
            both: 2,
            only_a: 0,
            only_b: 0,
            neither: 3,
        };
        assert_eq!(perfect.kappa(), Some(1.0));
        assert_eq!(perfect.alpha(), Some(1.0));
        // Neither ever applied the code: they agree, but there is nothing to measure.
        let never = Table {
            neither: 5,
            ..Table::default()
        };
        assert_eq!(never.percent(), Some(100.0));
        assert_eq!(never.kappa(), None);
        assert_eq!(never.alpha(), None);
        assert_eq!(Table::default().percent(), None);
    }
}
