//! Building the index from the store and keeping it current.

use super::*;
use std::sync::atomic::Ordering;

/// Written with every commit; an index without it (or with another) is rebuilt.
const SCHEMA_VERSION: &str = "rian-search-5";
/// Memory for building the index in one go, shared by the indexing threads.
const REBUILD_MEMORY: usize = 192 << 20;
/// Memory for applying a few changes.
const SYNC_MEMORY: usize = 16 << 20;
/// Documents read from the store at a time while rebuilding.
const BATCH: i64 = 256;
/// The most queue entries whose deletion a write's sync leaves running after it answers.
const FORGET_LATER: usize = 64;

/// How often a rebuild lets go of the index pages its merges mapped.
const RELEASE_PAGES_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// A thread that lets go of mapped index pages ([`GroupSyncDirectory::release_pages`])
/// at an interval, until dropped.
struct ReleasePages {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ReleasePages {
    fn every(directory: &GroupSyncDirectory, interval: std::time::Duration) -> ReleasePages {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let directory = directory.clone();
        let thread = std::thread::Builder::new()
            .name("rian-index-pages".into())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(interval)
                {
                    directory.release_pages();
                }
            })
            .ok();
        ReleasePages {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for ReleasePages {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if needed. An index that cannot be read or
    /// was built with another schema is cleared; [`SearchIndex::catch_up`] rebuilds it.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, f) = schema();
        let (index, directory) = match Self::open_dir(dir, &schema) {
            Ok(opened) => opened,
            Err(_) => {
                // A cache: start again rather than refuse to open the store.
                for entry in std::fs::read_dir(dir)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        std::fs::remove_dir_all(&path)?;
                    } else {
                        std::fs::remove_file(&path)?;
                    }
                }
                Self::open_dir(dir, &schema).map_err(engine)?
            }
        };
        tokens::register(&index);
        let reader = index
            .reader_builder()
            // Reloaded by hand (`fresh_searcher`): Tantivy's watcher thread polls the meta
            // file and contended with every commit, costing a write tens of milliseconds.
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(engine)?;
        Ok(SearchIndex {
            index,
            directory,
            reader,
            f,
            writing: tokio::sync::Mutex::new(None),
            keep: Default::default(),
            dir: dir.to_path_buf(),
            facets: Default::default(),
            loaded: std::sync::atomic::AtomicU64::new(u64::MAX),
            tickets: Default::default(),
            synced: Default::default(),
            forgetting: Default::default(),
            forgets: Default::default(),
        })
    }

    fn open_dir(dir: &Path, schema: &Schema) -> tantivy::Result<(Index, GroupSyncDirectory)> {
        let directory = GroupSyncDirectory::open(dir)?;
        let index = Index::open_or_create(directory.clone(), schema.clone())?;
        // Reading the segment list now surfaces a damaged index here, not mid-search.
        index.searchable_segment_metas()?;
        Ok((index, directory))
    }

    /// Where the index lives.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the index was built by this version of rian (else it needs a rebuild).
    pub fn is_current(&self) -> bool {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .is_some_and(|p| p == SCHEMA_VERSION)
    }

    /// Brings the index up to date with the store: a rebuild if it is not current, else
    /// the queue of changes.
    pub async fn catch_up(&self, store: &Store) -> Result<Synced> {
        if self.is_current() {
            if store.last_search_change().await? == 0 {
                return Ok(Synced::Applied(0));
            }
            let one = self.writing.lock().await;
            self.apply(store, one, Forget::Now).await
        } else {
            self.rebuild(store, &mut |_| {}).await?;
            Ok(Synced::Applied(0))
        }
    }

    fn writer(&self, memory: usize) -> Result<Option<IndexWriter>> {
        let threads = if memory >= REBUILD_MEMORY {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        } else {
            1
        };
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory / threads)
            // One merge at a time, not Tantivy's four: each merge maps the segments it
            // reads, and four at once held most of a 100k-document index resident while
            // it was built (issue 6's memory goal); on two cores they only took turns.
            .num_merge_threads(1)
            .build();
        match self.index.writer_with_options::<TantivyDocument>(options) {
            Ok(w) => Ok(Some(w)),
            Err(tantivy::TantivyError::LockFailure(..)) => Ok(None),
            Err(e) => Err(engine(e)),
        }
    }

    /// Keeps the writer of one sync open for the next, for a process that runs on (the
    /// workbench server): opening a writer starts its threads and takes Tantivy's lock,
    /// and closing it waited for the merges its commit set off, so every coding written
    /// waited for them (issue 10's load test). Kept open, merges run behind the writes.
    /// Other processes meet the lock until [`SearchIndex::settle`]: their changes stay
    /// queued, and this process applies them at its next search or write.
    pub fn keep_writer(&self) {
        self.keep.store(true, Ordering::Release);
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<()> {
        let mut commit = writer.prepare_commit().map_err(engine)?;
        commit.set_payload(SCHEMA_VERSION);
        commit.commit().map_err(engine)?;
        Ok(())
    }

    fn finish(&self, mut writer: IndexWriter) -> Result<()> {
        self.commit(&mut writer)?;
        writer.wait_merging_threads().map_err(engine)?;
        self.fresh_searcher()?;
        Ok(())
    }

    /// Closes a kept writer, after the merges it has running.
    fn release(&self, kept: &mut Option<IndexWriter>) -> Result<()> {
        match kept.take() {
            Some(writer) => writer.wait_merging_threads().map_err(engine),
            None => Ok(()),
        }
    }

    /// A searcher over the index as last committed, by this process or another (a
    /// command-line import while the workbench runs): the reader is reloaded when the
    /// index's segments have changed since it was last loaded, by a commit or by a merge
    /// (a kept writer merges after its commit returns).
    pub(super) fn fresh_searcher(&self) -> Result<tantivy::Searcher> {
        let metas = self.index.load_metas().map_err(engine)?;
        let stamp = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            metas.opstamp.hash(&mut h);
            for s in &metas.segments {
                s.id().hash(&mut h);
                s.num_deleted_docs().hash(&mut h);
            }
            h.finish()
        };
        if self.loaded.load(Ordering::Acquire) != stamp {
            self.reader.reload().map_err(engine)?;
            self.loaded.store(stamp, Ordering::Release);
        }
        Ok(self.reader.searcher())
    }

    /// Builds the index again from everything in the store. `progress` is told how much
    /// is done after each batch.
    pub async fn rebuild(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(Rebuilt),
    ) -> Result<Rebuilt> {
        let mut one = self.writing.lock().await;
        self.release(&mut one)?;
        let queued = store.search_change_seqs().await?;
        let writer = self.writer(REBUILD_MEMORY)?.ok_or(Error::SearchBusy)?;
        writer.delete_all_documents().map_err(engine)?;
        let _releasing = ReleasePages::every(&self.directory, RELEASE_PAGES_EVERY);
        let mut done = Rebuilt::default();
        let mut after = 0;
        loop {
            let docs = store.search_documents_after(after, BATCH).await?;
            let Some(last) = docs.last() else { break };
            after = last.id;
            for d in &docs {
                done.codings += self.add_document(&writer, d)?;
                done.documents += 1;
                done.bytes += d.text.len() as u64;
            }
            progress(done);
        }
        let mut after = 0;
        loop {
            let memos = store.search_memos_after(after, BATCH).await?;
            let Some(last) = memos.last() else { break };
            after = last.id;
            for m in &memos {
                self.add_memo(&writer, m)?;
                done.memos += 1;
            }
            progress(done);
        }
        self.finish(writer)?;
        store.forget_search_changes(&queued).await?;
        Ok(done)
    }

    /// Applies the queue of changes the store has recorded since the last sync.
    ///
    /// Callers that arrive together share one commit (group commit): each takes a ticket
    /// before waiting its turn, and a sync covers every ticket taken before it read the
    /// queue, since what those callers wrote was committed before they took them. On a
    /// shared server, forty codings a second otherwise queued forty index commits of
    /// ~20 ms each, and every search waited behind them (issue 10's load test).
    ///
    /// The queue is not looked at before waiting: after a write it holds that write's
    /// changes, and on a busy server the look was one more statement in every write's
    /// wait. A write that queued nothing (a sign-in) may wait for a running sync.
    pub async fn sync(&self, store: &Store) -> Result<Synced> {
        let ticket = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let one = self.writing.lock().await;
        if self.synced.load(Ordering::Acquire) >= ticket {
            return Ok(Synced::Applied(0));
        }
        self.apply(store, one, Forget::Later).await
    }

    /// Applies the queue before a search, unless this process is applying it already.
    /// Every write of this process waits for its own sync before it answers, so what a
    /// running sync holds was not yet acknowledged to anyone: a search need not wait for
    /// it (on a shared server, searches queued behind writers' index commits).
    pub(super) async fn sync_for_reading(&self, store: &Store) -> Result<Synced> {
        if store.last_search_change().await? == 0 {
            return Ok(Synced::Applied(0));
        }
        match self.writing.try_lock() {
            Ok(one) => self.apply(store, one, Forget::Later).await,
            Err(_) => Ok(Synced::Running),
        }
    }

    /// The queue applied, by the holder of `writing`.
    async fn apply(
        &self,
        store: &Store,
        mut one: tokio::sync::MutexGuard<'_, Option<IndexWriter>>,
        forget: Forget,
    ) -> Result<Synced> {
        // Every ticket taken so far belongs to a caller whose write committed before it:
        // the queue read below holds it.
        let covers = self.tickets.load(Ordering::SeqCst);
        // Taken before the queue is read: an entry leaves this set only once its deletion
        // has committed, so the read cannot see an applied entry missing from the copy.
        let applied = self.forgetting.lock().expect("forgetting lock").clone();
        let changes = store.search_changes(&applied).await?;
        if changes.seqs.is_empty() {
            self.synced.store(covers, Ordering::Release);
            return Ok(Synced::Applied(0));
        }
        // A writer that fails is dropped, and what it held uncommitted with it.
        let mut writer = match one.take() {
            Some(kept) => kept,
            None => match self.writer(SYNC_MEMORY)? {
                Some(opened) => opened,
                None => return Ok(Synced::Busy),
            },
        };
        self.write_changes(store, &writer, &changes).await?;
        if self.keep.load(Ordering::Acquire) {
            self.commit(&mut writer)?;
            *one = Some(writer);
            self.fresh_searcher()?;
        } else {
            self.finish(writer)?;
        }
        let applied = changes.documents.len()
            + changes.codings.len()
            + changes.document_codes.len()
            + changes.memos.len();
        self.forget(store, changes.seqs, forget).await?;
        self.synced.store(covers, Ordering::Release);
        Ok(Synced::Applied(applied))
    }

    /// Hands the writer what the queue names, uncommitted.
    async fn write_changes(
        &self,
        store: &Store,
        writer: &IndexWriter,
        changes: &crate::store::PendingChanges,
    ) -> Result<()> {
        // Every removal before any addition: Tantivy applies a deletion to what was added
        // before it, and a passage may be queued both alone and with its whole document.
        let f = &self.f;
        for (field, ids) in [
            (f.doc, &changes.documents),
            (f.coding, &changes.codings),
            (f.document_entry, &changes.document_codes),
        ] {
            for &id in ids {
                writer.delete_term(Term::from_field_i64(field, id));
            }
        }
        for chunk in changes.documents.chunks(BATCH as usize) {
            for d in &store.search_documents(chunk).await? {
                self.add_document(writer, d)?;
            }
        }
        for chunk in changes.document_codes.chunks(BATCH as usize) {
            for d in &store.search_document_entries(chunk).await? {
                self.add_document_entry(writer, d)?;
            }
        }
        for d in &store.search_codings(&changes.codings).await? {
            if changes.documents.binary_search(&d.id).is_err() {
                self.add_codings(writer, d)?;
            }
        }
        for chunk in changes.memos.chunks(BATCH as usize) {
            let memos = store.search_memos(chunk).await?;
            for &id in chunk {
                writer.delete_term(Term::from_field_i64(self.f.memo, id));
            }
            for m in &memos {
                self.add_memo(writer, m)?;
            }
        }
        Ok(())
    }

    /// Deletes the queue entries `seqs`, which the index has just committed. After a
    /// few writes the deletion runs on while their callers are answered: on a shared
    /// server it was one more round trip in every write's wait. Entries whose deletion
    /// is lost (a crash, an error) stay queued and are applied again, which changes
    /// nothing: applying replaces an entry whole.
    async fn forget(&self, store: &Store, seqs: Vec<i64>, forget: Forget) -> Result<()> {
        if forget == Forget::Now
            || seqs.len() > FORGET_LATER
            || tokio::runtime::Handle::try_current().is_err()
        {
            return store.forget_search_changes(&seqs).await;
        }
        self.forgetting
            .lock()
            .expect("forgetting lock")
            .extend(&seqs);
        let (store, forgetting) = (store.clone(), self.forgetting.clone());
        let task = tokio::spawn(async move {
            let _ = store.forget_search_changes(&seqs).await;
            let mut forgetting = forgetting.lock().expect("forgetting lock");
            for seq in &seqs {
                forgetting.remove(seq);
            }
        });
        let mut forgets = self.forgets.lock().expect("forgets lock");
        forgets.retain(|t| !t.is_finished());
        forgets.push(task);
        Ok(())
    }

    /// Waits for the deletions [`SearchIndex::forget`] left running, so that a command
    /// that ends leaves no applied entry queued (the next start would apply it again).
    /// Also closes a kept writer, so that another process may write the index.
    pub(crate) async fn settle(&self) {
        let tasks = std::mem::take(&mut *self.forgets.lock().expect("forgets lock"));
        for task in tasks {
            let _ = task.await;
        }
        if let Err(e) = self.release(&mut *self.writing.lock().await) {
            eprintln!("rian: {e}");
        }
    }

    fn placed(&self, unit: Unit, p: &Placement) -> TantivyDocument {
        let f = &self.f;
        let mut d = TantivyDocument::default();
        d.add_text(f.unit, unit.as_str());
        d.add_i64(f.study, p.study_id);
        d.add_facet(f.facets, Facet::from_path(["unit", unit.as_str()]));
        d.add_facet(
            f.facets,
            Facet::from_path(["study", &p.study_id.to_string()]),
        );
        if let Some(site) = p.site_id {
            d.add_i64(f.site, site);
            d.add_facet(f.facets, Facet::from_path(["site", &site.to_string()]));
        }
        if let Some(province) = &p.province {
            d.add_facet(f.facets, Facet::from_path(["province", province.as_str()]));
        }
        if let Some(forum) = p.forum_id {
            d.add_i64(f.forum, forum);
        }
        if let Some(kind) = p.forum_kind {
            d.add_facet(f.facets, Facet::from_path(["kind", kind.as_str()]));
        }
        if let Some(date) = p.date {
            d.add_i64(f.date, date_number(date));
            d.add_facet(
                f.facets,
                Facet::from_path(["year", &date.year_be().to_string()]),
            );
        }
        d
    }

    /// The text of an entry, to be cut into words, runs of words and grams.
    fn add_words(&self, d: &mut TantivyDocument, text: &str) {
        d.add_text(self.f.text, text);
        d.add_text(self.f.pairs, text);
        d.add_text(self.f.triples, text);
        d.add_text(self.f.grams, text);
    }

    /// Adds a document and its coded passages; returns how many passages.
    fn add_document(&self, w: &IndexWriter, doc: &SourceDocument) -> Result<u64> {
        self.add_document_entry(w, doc)?;
        self.add_codings(w, doc)
    }

    /// Adds a document's own entry: its text, and the codes of its passages as facets.
    fn add_document_entry(&self, w: &IndexWriter, doc: &SourceDocument) -> Result<()> {
        let f = &self.f;
        let mut d = self.placed(Unit::Document, &doc.placement);
        d.add_i64(f.id, doc.id);
        d.add_i64(f.doc, doc.id);
        d.add_i64(f.document_entry, doc.id);
        d.add_i64(f.span_start, 0);
        self.add_words(&mut d, &doc.text);
        for code in &doc.codes {
            d.add_facet(f.facets, Facet::from_path(["code", &code.to_string()]));
        }
        w.add_document(d).map_err(engine)?;
        Ok(())
    }

    /// Adds the coded passages `doc` holds; returns how many.
    fn add_codings(&self, w: &IndexWriter, doc: &SourceDocument) -> Result<u64> {
        let f = &self.f;
        // Character offsets → byte offsets, once per document.
        let bytes: Vec<usize> = doc
            .text
            .char_indices()
            .map(|(b, _)| b)
            .chain([doc.text.len()])
            .collect();
        let mut n = 0;
        for (id, code, span, coder) in &doc.codings {
            let (Some(&s), Some(&e)) =
                (bytes.get(span.start as usize), bytes.get(span.end as usize))
            else {
                continue;
            };
            let passage = &doc.text[s..e];
            let mut c = self.placed(Unit::Coding, &doc.placement);
            c.add_i64(f.id, *id);
            c.add_i64(f.doc, doc.id);
            c.add_i64(f.coding, *id);
            c.add_i64(f.code, *code);
            c.add_text(f.coder, coder);
            c.add_i64(f.span_start, span.start);
            c.add_facet(f.facets, Facet::from_path(["code", &code.to_string()]));
            self.add_words(&mut c, passage);
            w.add_document(c).map_err(engine)?;
            n += 1;
        }
        Ok(n)
    }

    fn add_memo(&self, w: &IndexWriter, m: &SourceMemo) -> Result<()> {
        let f = &self.f;
        let mut d = self.placed(Unit::Memo, &m.placement);
        d.add_i64(f.id, m.id);
        d.add_i64(f.memo, m.id);
        d.add_text(f.link, memo_link(m));
        if m.target == MemoTarget::Code {
            d.add_facet(
                f.facets,
                Facet::from_path(["code", &m.target_id.to_string()]),
            );
        }
        self.add_words(&mut d, &m.text);
        w.add_document(d).map_err(engine)?;
        Ok(())
    }
}

/// Where the workbench shows a memo: the passage, document, site or codebook entry it is on.
fn memo_link(m: &SourceMemo) -> String {
    match (m.document_id, m.span, m.target) {
        (Some(doc), Some(span), _) => {
            document_link(doc, Some(span.start as usize..span.end as usize))
        }
        (Some(doc), None, _) => document_link(doc, None),
        (None, _, MemoTarget::Site) => format!("/sites/{}", m.target_id),
        (None, _, MemoTarget::Code) => {
            format!(
                "/studies/{}/codebook#code-{}",
                m.placement.study_id, m.target_id
            )
        }
        (None, _, _) => format!("/studies/{}/memos", m.placement.study_id),
    }
}

/// A document page, opened at a passage.
pub(super) fn document_link(doc: i64, span: Option<Range<usize>>) -> String {
    match span {
        Some(s) => format!("/documents/{doc}?span={}-{}#focus", s.start, s.end),
        None => format!("/documents/{doc}"),
    }
}

impl SearchIndex {
    /// How many documents and memos the index holds, as last committed (for `rian check`).
    pub fn counts(&self) -> Result<(u64, u64)> {
        let searcher = self.fresh_searcher()?;
        let count = |unit: Unit| -> Result<u64> {
            let term = tantivy::Term::from_field_text(self.f.unit, unit.as_str());
            let query =
                tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
            Ok(searcher
                .search(&query, &tantivy::collector::Count)
                .map_err(engine)? as u64)
        };
        Ok((count(Unit::Document)?, count(Unit::Memo)?))
    }
}
