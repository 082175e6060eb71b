//! Answering a search: the query for the engine, facets, excerpts, names, concordance.

use super::index::document_link;
use super::*;

/// Facet roots counted for every search, in the order of [`Facets`].
const FACET_ROOTS: [&str; 6] = ["site", "province", "code", "kind", "year", "unit"];
/// Terms a prefix may stand for.
const PREFIX_EXPANSIONS: u32 = 256;
/// Weight of a match found only inside words, against a match of whole words.
const FALLBACK_WEIGHT: f32 = 0.3;
/// Characters of an excerpt.
const SNIPPET_CHARS: usize = 160;
/// Most documents a concordance reads.
const CONCORDANCE_DOCUMENTS: usize = 20_000;

/// A query made ready for the engine, with what to highlight.
struct Compiled {
    query: Part,
    patterns: Vec<Pattern>,
    widened: Vec<String>,
    /// Terms of known words whose search inside words was left out (see [`Widen`]).
    held_back: Vec<String>,
}

/// A query for the engine in two forms: one that ranks, and one that finds the same units
/// at less cost (without the phrase that only lifts the rank of words found in order).
struct Part {
    rank: Box<dyn EngineQuery>,
    matching: Box<dyn EngineQuery>,
    /// Whether matching reads word positions (a phrase): then counting apart from ranking
    /// would read them twice.
    positions: bool,
}

impl Part {
    fn same(q: Box<dyn EngineQuery>, positions: bool) -> Part {
        Part {
            matching: q.box_clone(),
            rank: q,
            positions,
        }
    }

    fn empty() -> Part {
        Part::same(Box::new(EmptyQuery), false)
    }

    /// Clauses joined in one boolean query, each in its two forms.
    fn boolean(clauses: Vec<(Occur, Part)>) -> Part {
        let positions = clauses.iter().any(|(_, p)| p.positions);
        let (rank, matching) = clauses
            .into_iter()
            .map(|(o, p)| ((o, p.rank), (o, p.matching)))
            .unzip();
        Part {
            rank: Box::new(BooleanQuery::new(rank)),
            matching: Box::new(BooleanQuery::new(matching)),
            positions,
        }
    }
}

/// When a term of several known words (`กองทุนสวัสดิการชุมชน`, `"แกนนำ ชุมชน"`) is also
/// searched inside words. The words in order find it wherever the text is cut as the
/// query is, and the search inside words costs the most of any query (positions of
/// every two-letter gram), so it is asked for only when the words find nothing.
#[derive(Clone, Copy, PartialEq)]
enum Widen {
    WhenNothingFound,
    Always,
}

impl SearchIndex {
    fn compile(&self, q: &Query, searcher: &tantivy::Searcher, widen: Widen) -> Result<Compiled> {
        let mut c = Compiled {
            query: Part::empty(),
            patterns: Vec::new(),
            widened: Vec::new(),
            held_back: Vec::new(),
        };
        c.query = self.compile_part(q, searcher, false, widen, &mut c)?;
        Ok(c)
    }

    fn compile_part(
        &self,
        q: &Query,
        searcher: &tantivy::Searcher,
        negated: bool,
        widen: Widen,
        c: &mut Compiled,
    ) -> Result<Part> {
        let f = &self.f;
        let Compiled {
            patterns,
            widened,
            held_back,
            ..
        } = c;
        let mut keep = |p: Pattern| {
            if !negated {
                patterns.push(p)
            }
        };
        let words_of =
            |s: &str| -> Vec<String> { tokens::words(s).into_iter().map(|(_, w)| w).collect() };
        let term = |w: &str| Term::from_field_text(f.text, w);
        Ok(match q {
            Query::Term(s) | Query::Phrase(s) => {
                let words = words_of(s);
                let quoted = matches!(q, Query::Phrase(_));
                match words.as_slice() {
                    [] => Part::empty(),
                    [w] if tokens::is_single_known_word(s.trim()) => {
                        if searcher.doc_freq(&term(w)).map_err(engine)? > 0 {
                            keep(Pattern::Words(words.clone()));
                            Part::same(
                                Box::new(TermQuery::new(term(w), IndexRecordOption::WithFreqs)),
                                false,
                            )
                        } else {
                            if !negated {
                                widened.push(s.trim().to_string());
                            }
                            keep(Pattern::Substring(tokens::fold(s.trim())));
                            self.grams_query(s)
                        }
                    }
                    _ => {
                        let mut parts: Vec<(Occur, Box<dyn EngineQuery>)> = Vec::new();
                        // Unquoted, the words in order only rank higher what all the words
                        // find anyway: left out of the matching form.
                        let mut booster = None;
                        let mut positions = false;
                        if words.len() > 1 {
                            let in_order = self.in_order(&words);
                            let phrase: Box<dyn EngineQuery> =
                                Box::new(BoostQuery::new(in_order.rank, 2.0));
                            if quoted {
                                positions = in_order.positions;
                                parts.push((Occur::Should, phrase));
                            } else {
                                booster = Some(phrase);
                                let all: Vec<(Occur, Box<dyn EngineQuery>)> = words
                                    .iter()
                                    .map(|w| {
                                        (
                                            Occur::Must,
                                            Box::new(TermQuery::new(
                                                term(w),
                                                IndexRecordOption::WithFreqs,
                                            ))
                                                as Box<dyn EngineQuery>,
                                        )
                                    })
                                    .collect();
                                parts.push((Occur::Should, Box::new(BooleanQuery::new(all))));
                                for w in &words {
                                    keep(Pattern::Words(vec![w.clone()]));
                                }
                            }
                            keep(Pattern::Words(words.clone()));
                        } else {
                            keep(Pattern::Words(words.clone()));
                            parts.push((
                                Occur::Should,
                                Box::new(TermQuery::new(
                                    term(&words[0]),
                                    IndexRecordOption::WithFreqs,
                                )),
                            ));
                        }
                        // A name the segmenter cannot place is always searched both ways;
                        // known words only when they are not found as words.
                        let known = tokens::all_known_words(s);
                        let mut present = true;
                        for w in &words {
                            present = present && searcher.doc_freq(&term(w)).map_err(engine)? > 0;
                        }
                        if known && present && widen == Widen::WhenNothingFound {
                            if !negated {
                                held_back.push(s.trim().to_string());
                            }
                        } else {
                            if known && !negated {
                                widened.push(s.trim().to_string());
                            }
                            keep(Pattern::Substring(tokens::fold(s.trim())));
                            let grams = self.grams_query(s);
                            positions = positions || grams.positions;
                            parts.push((
                                Occur::Should,
                                Box::new(BoostQuery::new(grams.rank, FALLBACK_WEIGHT)),
                            ));
                        }
                        let matching: Box<dyn EngineQuery> = Box::new(BooleanQuery::new(
                            parts.iter().map(|(o, q)| (*o, q.box_clone())).collect(),
                        ));
                        if let Some(b) = booster {
                            parts.push((Occur::Should, b));
                        }
                        Part {
                            rank: Box::new(BooleanQuery::new(parts)),
                            matching,
                            positions,
                        }
                    }
                }
            }
            Query::Prefix(s) => {
                let words = words_of(s);
                let stem = tokens::fold(s.trim());
                if words.is_empty() {
                    return Ok(Part::empty());
                }
                // The stem as typed begins a word (สวัสดิ* → สวัสดิการ), or, when it holds
                // whole words, those words then one that begins with the rest.
                let mut whole = PhrasePrefixQuery::new(vec![term(&stem)]);
                whole.set_max_expansions(PREFIX_EXPANSIONS);
                let mut parts: Vec<(Occur, Box<dyn EngineQuery>)> =
                    vec![(Occur::Should, Box::new(whole))];
                if words.len() > 1 {
                    // Words have no positions: the pairs of the whole words, then the pair
                    // of the last whole word and the begun one, as a prefix.
                    let pair = |w: &[String]| Term::from_field_text(f.pairs, &tokens::run(w));
                    let mut cut = PhrasePrefixQuery::new(words.windows(2).map(pair).collect());
                    cut.set_max_expansions(PREFIX_EXPANSIONS);
                    parts.push((Occur::Should, Box::new(cut)));
                }
                let prefix = BooleanQuery::new(parts);
                if searcher.search(&prefix, &Count).map_err(engine)? > 0 {
                    keep(Pattern::Prefix(vec![stem]));
                    if words.len() > 1 {
                        keep(Pattern::Prefix(words));
                    }
                    Part::same(Box::new(prefix), true)
                } else {
                    // No word begins so: look inside words, as for a term.
                    if !negated {
                        widened.push(s.trim().to_string());
                    }
                    keep(Pattern::Substring(stem));
                    self.grams_query(s)
                }
            }
            Query::And(parts) => {
                let mut clauses = Vec::with_capacity(parts.len());
                for p in parts {
                    match p {
                        Query::Not(inner) => clauses.push((
                            Occur::MustNot,
                            self.compile_part(inner, searcher, !negated, widen, c)?,
                        )),
                        _ => clauses.push((
                            Occur::Must,
                            self.compile_part(p, searcher, negated, widen, c)?,
                        )),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Part::same(Box::new(AllQuery), false)));
                }
                Part::boolean(clauses)
            }
            Query::Or(parts) => {
                let mut clauses = Vec::with_capacity(parts.len());
                for p in parts {
                    clauses.push((
                        Occur::Should,
                        self.compile_part(p, searcher, negated, widen, c)?,
                    ));
                }
                Part::boolean(clauses)
            }
            Query::Not(inner) => Part::boolean(vec![
                (Occur::Must, Part::same(Box::new(AllQuery), false)),
                (
                    Occur::MustNot,
                    self.compile_part(inner, searcher, !negated, widen, c)?,
                ),
            ]),
        })
    }

    /// Compiles `q` and runs it; when it finds nothing and a search inside words was held
    /// back ([`Widen`]), runs it again with that search.
    fn answer<T>(
        &self,
        q: &Query,
        searcher: &tantivy::Searcher,
        run: impl Fn(Part) -> Result<T>,
        found_nothing: impl Fn(&T) -> bool,
    ) -> Result<(Compiled, T)> {
        let mut compiled = self.compile(q, searcher, Widen::WhenNothingFound)?;
        let mut found = run(std::mem::replace(&mut compiled.query, Part::empty()))?;
        if found_nothing(&found) && !compiled.held_back.is_empty() {
            compiled = self.compile(q, searcher, Widen::Always)?;
            found = run(std::mem::replace(&mut compiled.query, Part::empty()))?;
        }
        Ok((compiled, found))
    }

    /// Two or more `words` next to each other in this order, found by their runs: two or
    /// three words are one term, and a longer phrase reads the positions of a few runs of
    /// three, which are far fewer than those of its words (แกนนำ and ชุมชน are in most
    /// forums, "แกนนำ ชุมชน" in some).
    fn in_order(&self, words: &[String]) -> Part {
        let run = |field, w: &[String]| Term::from_field_text(field, &tokens::run(w));
        match words.len() {
            n @ (2 | 3) => {
                let field = if n == 2 { self.f.pairs } else { self.f.triples };
                Part::same(
                    Box::new(TermQuery::new(
                        run(field, words),
                        IndexRecordOption::WithFreqs,
                    )),
                    false,
                )
            }
            n if n > 3 => {
                // Runs starting at every other word, the last ending with the phrase:
                // five words are ABC at 0 and CDE at 2, four are ABC and BCD.
                let mut runs = Vec::new();
                let mut at = 0;
                loop {
                    let at_most = at.min(n.saturating_sub(3));
                    runs.push((at_most, run(self.f.triples, &words[at_most..at_most + 3])));
                    if at_most + 3 >= n {
                        break;
                    }
                    at += 2;
                }
                Part::same(Box::new(PhraseQuery::new_with_offset(runs)), true)
            }
            _ => Part::empty(),
        }
    }

    /// `s` as a run of two-character grams: a substring search that ignores word cuts.
    fn grams_query(&self, s: &str) -> Part {
        let terms: Vec<Term> = tokens::grams(s)
            .into_iter()
            .map(|(_, g)| Term::from_field_text(self.f.grams, &g))
            .collect();
        match terms.len() {
            0 => Part::empty(),
            1 => Part::same(
                Box::new(TermQuery::new(
                    terms.into_iter().next().expect("one term"),
                    IndexRecordOption::WithFreqs,
                )),
                false,
            ),
            _ => Part::same(Box::new(PhraseQuery::new(terms)), true),
        }
    }

    fn filtered(&self, query: Box<dyn EngineQuery>, filter: &Filter) -> Box<dyn EngineQuery> {
        let f = &self.f;
        let facet = |root: &str, values: Vec<String>| -> Option<Box<dyn EngineQuery>> {
            if values.is_empty() {
                return None;
            }
            let any: Vec<(Occur, Box<dyn EngineQuery>)> = values
                .iter()
                .map(|v| {
                    let term = Term::from_facet(f.facets, &Facet::from_path([root, v.as_str()]));
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                            as Box<dyn EngineQuery>,
                    )
                })
                .collect();
            Some(Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(any)),
                0.0,
            )))
        };
        let strings = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>();
        let mut clauses: Vec<(Occur, Box<dyn EngineQuery>)> = Vec::new();
        let groups = [
            facet(
                "study",
                filter.study.into_iter().map(|s| s.to_string()).collect(),
            ),
            facet("site", strings(&filter.sites)),
            facet("province", filter.provinces.clone()),
            facet("code", strings(&filter.codes)),
            facet(
                "kind",
                filter
                    .kinds
                    .iter()
                    .map(|k| k.as_str().to_string())
                    .collect(),
            ),
            facet("year", filter.years.iter().map(|y| y.to_string()).collect()),
            facet(
                "unit",
                filter
                    .units
                    .iter()
                    .map(|u| u.as_str().to_string())
                    .collect(),
            ),
        ];
        clauses.extend(groups.into_iter().flatten().map(|q| (Occur::Must, q)));
        if let Some(blind) = &filter.blind
            && let Some(in_blind) = facet("study", strings(&blind.studies))
        {
            let unit = |u: Unit| -> Box<dyn EngineQuery> {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.unit, u.as_str()),
                    IndexRecordOption::Basic,
                ))
            };
            // Another coder's passages in a study coded blind.
            clauses.push((
                Occur::MustNot,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, unit(Unit::Coding)),
                    (Occur::Must, in_blind.box_clone()),
                    (
                        Occur::MustNot,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.coder, &blind.coder),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ])),
            ));
            // A document's codes are every coder's: in a blind study it does not match by them.
            if !filter.codes.is_empty() {
                clauses.push((
                    Occur::MustNot,
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, unit(Unit::Document)),
                        (Occur::Must, in_blind),
                    ])),
                ));
            }
        }
        if filter.from.is_some() || filter.to.is_some() {
            let bound = |d: Option<IsoDate>| match d {
                Some(d) => Bound::Included(Term::from_field_i64(f.date, date_number(d))),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(RangeQuery::new(bound(filter.from), bound(filter.to))),
                    0.0,
                )),
            ));
        }
        if clauses.is_empty() {
            return query;
        }
        clauses.insert(0, (Occur::Must, query));
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A stored field of a hit, read back.
fn stored_i64(doc: &TantivyDocument, field: Field) -> Option<i64> {
    doc.get_first(field).and_then(|v| v.as_i64())
}

fn stored_str(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

impl SearchIndex {
    /// Runs a search. The queue of changes is applied first, so that what was just
    /// written is found.
    pub async fn search(&self, store: &Store, request: &Request) -> Result<Results> {
        let query = query::parse(&request.query)?;
        let pending = match self.sync_for_reading(store).await? {
            Synced::Busy => store.pending_search_changes().await?,
            Synced::Applied(_) | Synced::Running => 0,
        };
        let searcher = self.fresh_searcher()?;
        self.facets.keep_only(&searcher);
        let limit = request.limit.clamp(1, 500);
        // Past the last unit there is nothing to rank; the collector keeps a buffer of
        // offset + limit places, so an offset typed into an address must not reach it.
        let offset = request.offset.min(searcher.num_docs() as usize);
        let (compiled, (top, tally)) = self.answer(
            &query,
            &searcher,
            |q| {
                let ranking = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score();
                let tally = FacetTally {
                    cache: &self.facets,
                    blind: request
                        .filter
                        .blind
                        .as_ref()
                        .map_or(&[][..], |b| &b.studies[..]),
                };
                let rank = self.filtered(q.rank, &request.filter);
                if q.positions {
                    // A phrase: its positions are read once, ranking and counting together.
                    return searcher.search(&*rank, &(ranking, tally)).map_err(engine);
                }
                // Ranked and counted apart: alone, ranking skips whole blocks of postings
                // that cannot reach the top (block-WAND), which counting every hit in the
                // same pass would forbid; counting needs no scores.
                let top = searcher.search(&*rank, &ranking).map_err(engine)?;
                let matching = self.filtered(q.matching, &request.filter);
                Ok((top, searcher.search(&*matching, &tally).map_err(engine)?))
            },
            |(_, tally)| tally.total == 0,
        )?;
        let total = tally.total as usize;
        let counts = self.facets.named(&tally.counts);
        let f = &self.f;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(engine)?;
            let unit: Unit = stored_str(&doc, f.unit).unwrap_or("document").parse()?;
            let text = stored_str(&doc, f.text).unwrap_or("");
            // Thai letters take three bytes.
            let (cut, found) = Cut::for_excerpt(text, &compiled.patterns, 3 * SNIPPET_CHARS);
            let snippet = snippet::snippet(&cut, &found, SNIPPET_CHARS);
            let start = stored_i64(&doc, f.span_start).unwrap_or(0) as usize;
            let document_id = stored_i64(&doc, f.doc);
            let span = match unit {
                Unit::Memo => None,
                _ => snippet
                    .first_match()
                    .map(|m| start + m.start..start + m.end),
            };
            let link = match (unit, document_id) {
                (Unit::Memo, _) | (_, None) => stored_str(&doc, f.link).unwrap_or("/").to_string(),
                (_, Some(d)) => document_link(d, span.clone()),
            };
            let date = stored_i64(&doc, f.date).and_then(date_from_number);
            hits.push(Hit {
                unit,
                id: stored_i64(&doc, f.id).unwrap_or(0),
                score,
                study_id: stored_i64(&doc, f.study).unwrap_or(0),
                document_id,
                site: stored_i64(&doc, f.site).map(|id| Label {
                    id,
                    name: String::new(),
                }),
                province: None,
                forum_id: stored_i64(&doc, f.forum),
                forum_kind: None,
                date,
                date_be: date.map(|d| format_be(d, DateStyle::Full)),
                code: stored_i64(&doc, f.code).map(|id| Label {
                    id,
                    name: String::new(),
                }),
                snippet,
                span,
                link,
            });
        }
        let mut facets = Facets::default();
        for (root, out) in FACET_ROOTS.iter().zip([
            &mut facets.site,
            &mut facets.province,
            &mut facets.code,
            &mut facets.kind,
            &mut facets.year,
            &mut facets.unit,
        ]) {
            for (_, value, count) in counts.iter().filter(|(r, _, _)| r == root) {
                out.push(FacetCount {
                    label: value.clone(),
                    value: value.clone(),
                    count: *count,
                });
            }
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            if out.len() > request.facet_values {
                facets.more.insert(root, out.len() - request.facet_values);
                out.truncate(request.facet_values);
            }
        }
        let mut results = Results {
            query: request.query.clone(),
            total,
            hits,
            facets,
            widened: compiled.widened,
            pending,
        };
        self.name(store, &mut results).await?;
        Ok(results)
    }

    /// Fills in the names of sites, codes, provinces and forum kinds.
    async fn name(&self, store: &Store, r: &mut Results) -> Result<()> {
        let mut site_ids: Vec<i64> = r
            .hits
            .iter()
            .filter_map(|h| h.site.as_ref().map(|s| s.id))
            .collect();
        site_ids.extend(
            r.facets
                .site
                .iter()
                .filter_map(|c| c.value.parse::<i64>().ok()),
        );
        let mut code_ids: Vec<i64> = r
            .hits
            .iter()
            .filter_map(|h| h.code.as_ref().map(|c| c.id))
            .collect();
        code_ids.extend(
            r.facets
                .code
                .iter()
                .filter_map(|c| c.value.parse::<i64>().ok()),
        );
        let forum_ids: Vec<i64> = r.hits.iter().filter_map(|h| h.forum_id).collect();
        let names = store.search_names(&site_ids, &code_ids, &forum_ids).await?;
        for h in &mut r.hits {
            if let Some(site) = h.site.as_mut()
                && let Some((name, province)) = names.sites.get(&site.id)
            {
                site.name = name.clone();
                h.province = Some(province.clone());
            }
            if let Some(code) = h.code.as_mut()
                && let Some(name) = names.codes.get(&code.id)
            {
                code.name = name.clone();
            }
            h.forum_kind = h
                .forum_id
                .and_then(|id| names.forum_kinds.get(&id).copied());
        }
        for c in &mut r.facets.site {
            if let Some((name, province)) = c
                .value
                .parse()
                .ok()
                .and_then(|id: i64| names.sites.get(&id))
            {
                c.label = format!("{name} จ.{province}");
            }
        }
        for c in &mut r.facets.code {
            if let Some(name) = c
                .value
                .parse()
                .ok()
                .and_then(|id: i64| names.codes.get(&id))
            {
                c.label = name.clone();
            }
        }
        for c in &mut r.facets.kind {
            if let Ok(kind) = c.value.parse::<ForumKind>() {
                c.label = kind.label(Lang::Th).to_string();
            }
        }
        for c in &mut r.facets.unit {
            if let Ok(unit) = c.value.parse::<Unit>() {
                c.label = unit.label(Lang::Th).to_string();
            }
        }
        Ok(())
    }

    /// Every place a query matched in the documents, with its words left and right
    /// (`width` characters each side), ordered by province, site, date and position.
    pub async fn concordance(
        &self,
        store: &Store,
        query: &str,
        filter: &Filter,
        width: usize,
        limit: usize,
    ) -> Result<Concordance> {
        let parsed = query::parse(query)?;
        self.sync_for_reading(store).await?;
        let searcher = self.fresh_searcher()?;
        let mut filter = filter.clone();
        filter.units = vec![Unit::Document];
        let (compiled, top) = self.answer(
            &parsed,
            &searcher,
            |q| {
                searcher
                    .search(
                        &self.filtered(q.rank, &filter),
                        &TopDocs::with_limit(CONCORDANCE_DOCUMENTS).order_by_score(),
                    )
                    .map_err(engine)
            },
            |top| top.is_empty(),
        )?;
        let f = &self.f;
        let mut lines = Vec::new();
        let mut truncated = top.len() == CONCORDANCE_DOCUMENTS;
        let documents = top.len();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(engine)?;
            let text = stored_str(&doc, f.text).unwrap_or("");
            let (cut, found) = Cut::matching(text, &compiled.patterns, 3 * width);
            let date = stored_i64(&doc, f.date).and_then(date_from_number);
            let document_id = stored_i64(&doc, f.doc).unwrap_or(0);
            for line in snippet::concordance(&cut, &found, width) {
                if lines.len() >= limit {
                    truncated = true;
                    break;
                }
                lines.push(ConcordanceLine {
                    document_id,
                    forum_id: stored_i64(&doc, f.forum),
                    site: stored_i64(&doc, f.site).map(|id| Label {
                        id,
                        name: String::new(),
                    }),
                    province: None,
                    forum_kind: None,
                    date,
                    date_be: date.map(|d| format_be(d, DateStyle::Full)),
                    link: document_link(document_id, Some(line.span.clone())),
                    line,
                });
            }
        }
        let site_ids: Vec<i64> = lines
            .iter()
            .filter_map(|l| l.site.as_ref().map(|s| s.id))
            .collect();
        let forum_ids: Vec<i64> = lines.iter().filter_map(|l| l.forum_id).collect();
        let names = store.search_names(&site_ids, &[], &forum_ids).await?;
        for l in &mut lines {
            l.forum_kind = l
                .forum_id
                .and_then(|id| names.forum_kinds.get(&id).copied());
            if let Some(site) = l.site.as_mut()
                && let Some((name, province)) = names.sites.get(&site.id)
            {
                site.name = name.clone();
                l.province = Some(province.clone());
            }
        }
        lines.sort_by(|a, b| {
            (
                &a.province,
                a.site.as_ref().map(|s| &s.name),
                a.date,
                a.document_id,
                a.line.span.start,
            )
                .cmp(&(
                    &b.province,
                    b.site.as_ref().map(|s| &s.name),
                    b.date,
                    b.document_id,
                    b.line.span.start,
                ))
        });
        Ok(Concordance {
            query: query.to_string(),
            lines,
            documents,
            truncated,
        })
    }
}

/// Hits counted: all of them, and by facet value (indexed by [`FacetNames`]' numbers).
#[derive(Default)]
struct Tally {
    total: u64,
    counts: Vec<u64>,
}

/// What a facet number's value is not known: an ordinal that is not `/root/value`.
const UNNAMED: u32 = u32::MAX;

/// Every facet value `(root, value)` seen, by a number shared by all segments, so that
/// counts from several segments add up as arrays rather than maps of strings.
#[derive(Default)]
struct FacetNames {
    list: Vec<(String, String)>,
    numbers: HashMap<(String, String), u32>,
}

impl FacetNames {
    fn number(&mut self, root: &str, value: &str) -> u32 {
        let key = (root.to_string(), value.to_string());
        if let Some(&n) = self.numbers.get(&key) {
            return n;
        }
        let n = self.list.len() as u32;
        self.list.push(key.clone());
        self.numbers.insert(key, n);
        n
    }

    fn find(&self, root: &str, value: &str) -> Option<u32> {
        self.numbers
            .get(&(root.to_string(), value.to_string()))
            .copied()
    }
}

/// Every unit's facet values in one segment, read once and kept while the segment lives.
/// Tantivy keeps them bit-packed behind an optional index; unpacking them for each of
/// the hundred thousands of units a common word matches was a fifth of a search's time.
/// A unit's values other than codes (study, site, province, forum kind, year, kind of
/// unit) are shared by many units, so each distinct set is kept once as a group: a hit
/// then counts one group and its own codes, and each group's values are added up once.
struct SegmentFacets {
    /// Each unit's group and codes, side by side: a hit reads one place in memory (the
    /// units a word matches are spread out, so each read is likely a cache miss).
    units: Vec<UnitFacets>,
    /// `group_ords[group_starts[g]..group_starts[g + 1]]` are group `g`'s ordinals.
    group_starts: Vec<u32>,
    group_ords: Vec<u32>,
    /// Lists of codes of units with more than one: a length, then that many ordinals.
    code_lists: Vec<u32>,
    /// Each ordinal's number in [`FacetNames`] ([`UNNAMED`] if its path is not
    /// `/root/value`).
    numbers: Vec<u32>,
    /// One more than the largest of `numbers`.
    width: usize,
}

/// A unit's group, and its codes: [`NO_CODES`], one ordinal marked [`ONE_CODE`] (a
/// coded passage), or where its list starts in [`SegmentFacets::code_lists`].
#[derive(Clone, Copy)]
struct UnitFacets {
    group: u32,
    codes: u32,
}

const NO_CODES: u32 = u32::MAX;
const ONE_CODE: u32 = 1 << 31;

impl SegmentFacets {
    fn read(
        segment: &tantivy::SegmentReader,
        names: &mut FacetNames,
    ) -> tantivy::Result<SegmentFacets> {
        let reader = segment.facet_reader("facets")?;
        let mut numbers = vec![UNNAMED; reader.num_facets()];
        let mut is_code = vec![false; reader.num_facets()];
        let mut terms = reader.facet_dict().stream()?;
        while terms.advance() {
            let ord = terms.term_ord() as usize;
            if let Ok(facet) = Facet::from_encoded(terms.key().to_vec())
                && let [root, value] = facet.to_path()[..]
                && ord < numbers.len()
            {
                numbers[ord] = names.number(root, value);
                is_code[ord] = root == "code";
            }
        }
        let width = numbers
            .iter()
            .filter(|&&n| n != UNNAMED)
            .max()
            .map_or(0, |&n| n as usize + 1);
        let units = segment.max_doc() as usize;
        let mut f = SegmentFacets {
            units: Vec::with_capacity(units),
            group_starts: vec![0],
            group_ords: Vec::new(),
            code_lists: Vec::new(),
            numbers,
            width,
        };
        let mut groups: HashMap<Vec<u32>, u32> = HashMap::new();
        let (mut rest, mut codes) = (Vec::new(), Vec::new());
        for doc in 0..segment.max_doc() {
            rest.clear();
            codes.clear();
            for ord in reader.facet_ords(doc) {
                let ord = ord as u32;
                if is_code.get(ord as usize).copied().unwrap_or(false) {
                    codes.push(ord);
                } else {
                    rest.push(ord);
                }
            }
            let next = groups.len() as u32;
            let g = *groups.entry(rest.clone()).or_insert_with(|| {
                f.group_ords.extend_from_slice(&rest);
                f.group_starts.push(f.group_ords.len() as u32);
                next
            });
            let codes = match codes[..] {
                [] => NO_CODES,
                [one] if one < ONE_CODE => one | ONE_CODE,
                _ => {
                    let start = f.code_lists.len() as u32;
                    f.code_lists.push(codes.len() as u32);
                    f.code_lists.extend_from_slice(&codes);
                    start
                }
            };
            f.units.push(UnitFacets { group: g, codes });
        }
        Ok(f)
    }

    fn group_ords(&self, g: usize) -> &[u32] {
        &self.group_ords[self.group_starts[g] as usize..self.group_starts[g + 1] as usize]
    }
}

/// [`SegmentFacets`] of the segments searched lately, by segment, and the numbers of
/// the facet values they hold.
#[derive(Default)]
pub(super) struct FacetCache {
    segments: std::sync::Mutex<HashMap<tantivy::index::SegmentId, Arc<SegmentFacets>>>,
    names: std::sync::Mutex<FacetNames>,
}

impl FacetCache {
    fn get(&self, segment: &tantivy::SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        // Held while reading a new segment, so that concurrent searches read it once.
        let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(&segment.segment_id()) {
            return Ok(found.clone());
        }
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        let read = Arc::new(SegmentFacets::read(segment, &mut names)?);
        cache.insert(segment.segment_id(), read.clone());
        Ok(read)
    }

    /// The values counted, by name: (root, value, hits) for every value with hits.
    fn named(&self, counts: &[u64]) -> Vec<(String, String, u64)> {
        let names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .zip(&names.list)
            .filter(|(n, _)| **n > 0)
            .map(|(&n, (root, value))| (root.clone(), value.clone(), n))
            .collect()
    }

    /// Forgets segments the searcher no longer has (merged away or deleted).
    fn keep_only(&self, searcher: &tantivy::Searcher) {
        let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > searcher.segment_readers().len() {
            let live: std::collections::HashSet<_> = searcher
                .segment_readers()
                .iter()
                .map(|s| s.segment_id())
                .collect();
            cache.retain(|id, _| live.contains(id));
        }
    }
}

/// Counts the hits under every facet value. Every facet rian writes is `/root/value`, so
/// no collapsing of deeper paths is needed.
struct FacetTally<'a> {
    cache: &'a FacetCache,
    /// Studies coded blind: their documents' codes are not counted (every coder's).
    blind: &'a [i64],
}

struct SegmentTally {
    facets: Arc<SegmentFacets>,
    total: u64,
    /// Hits by group; added to `counts` at harvest.
    groups: Vec<u64>,
    counts: Vec<u64>,
    /// Per group, whether its units are documents of a study coded blind: their codes
    /// are every coder's, so they are not counted. Empty when no study is coded blind.
    hide_codes: Vec<bool>,
}

/// Which groups are documents of a study in `blind`.
fn hidden_code_groups(cache: &FacetCache, facets: &SegmentFacets, blind: &[i64]) -> Vec<bool> {
    if blind.is_empty() {
        return Vec::new();
    }
    let (document, studies) = {
        let names = cache.names.lock().unwrap_or_else(|e| e.into_inner());
        let studies: Vec<u32> = blind
            .iter()
            .filter_map(|s| names.find("study", &s.to_string()))
            .collect();
        (names.find("unit", Unit::Document.as_str()), studies)
    };
    let Some(document) = document else {
        return Vec::new();
    };
    if studies.is_empty() {
        return Vec::new();
    }
    (0..facets.group_starts.len() - 1)
        .map(|g| {
            let ords = facets.group_ords(g);
            let has = |n: u32| ords.iter().any(|&o| facets.numbers[o as usize] == n);
            has(document) && studies.iter().any(|&s| has(s))
        })
        .collect()
}

impl tantivy::collector::Collector for FacetTally<'_> {
    type Fruit = Tally;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let facets = self.cache.get(segment)?;
        Ok(SegmentTally {
            total: 0,
            groups: vec![0; facets.group_starts.len() - 1],
            counts: vec![0; facets.numbers.len()],
            hide_codes: hidden_code_groups(self.cache, &facets, self.blind),
            facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut all = Tally::default();
        for fruit in fruits {
            all.total += fruit.total;
            if all.counts.len() < fruit.counts.len() {
                all.counts.resize(fruit.counts.len(), 0);
            }
            for (sum, n) in all.counts.iter_mut().zip(fruit.counts) {
                *sum += n;
            }
        }
        Ok(all)
    }
}

impl tantivy::collector::SegmentCollector for SegmentTally {
    type Fruit = Tally;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        self.collect_block(&[doc]);
    }

    /// Hits come in blocks when nothing is scored: one tight loop lets the processor wait
    /// for several units' facets at once.
    fn collect_block(&mut self, docs: &[tantivy::DocId]) {
        self.total += docs.len() as u64;
        let f = &*self.facets;
        for &doc in docs {
            let unit = f.units[doc as usize];
            let g = unit.group as usize;
            self.groups[g] += 1;
            if unit.codes == NO_CODES || self.hide_codes.get(g).copied().unwrap_or(false) {
                continue;
            }
            if unit.codes & ONE_CODE != 0 {
                self.counts[(unit.codes & !ONE_CODE) as usize] += 1;
            } else {
                let start = unit.codes as usize + 1;
                let n = f.code_lists[start - 1] as usize;
                for &ord in &f.code_lists[start..start + n] {
                    self.counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(mut self) -> Tally {
        for (g, &n) in self.groups.iter().enumerate().filter(|(_, n)| **n > 0) {
            for &ord in self.facets.group_ords(g) {
                self.counts[ord as usize] += n;
            }
        }
        let mut counts = vec![0; self.facets.width];
        for (&n, &number) in self.counts.iter().zip(&self.facets.numbers) {
            if n > 0 && number != UNNAMED {
                counts[number as usize] += n;
            }
        }
        Tally {
            total: self.total,
            counts,
        }
    }
}
