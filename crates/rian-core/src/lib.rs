//! # rian-core
//!
//! The library behind rian, a Thai-first workbench for community knowledge-extraction
//! studies (ถอดบทเรียน). It owns the study record and every stage of its flow; the
//! command line and the web workbench are thin shells over it.
//!
//! The flow, one module per stage:
//!
//! ```text
//! import ─► thai (normalize) ─► … ─► store
//! ```
//!
//! - [`access`]: accounts, roles and sessions of a shared deployment; who may read and
//!   change what.
//! - [`model`]: plain data — study, site, forum, document, codebook, coding, fact, SWOT,
//!   network, plan.
//! - [`import`]: source files → bytes kept as they are + normalized text.
//! - [`thai`]: decoding and normalizing Thai text.
//! - [`extract`]: a write-up → a draft forum record (dates, places, organizations, lists,
//!   figures, framework sections), each value with its evidence.
//! - [`store`]: the study store ([`store::Store`]), SQLite by default, chosen by URL.
//! - [`pipeline`]: what a user does, as one function each ([`pipeline::import_document`]).
//! - [`gazetteer`]: every Thai province, district and sub-district with its official code.
//! - [`review`]: accepting and rejecting suggestions, coding a passage by hand.
//! - [`edit`]: every change a person makes (codebook, forum record, SWOT, network, plan,
//!   memos), checked, logged with before and after, and undone.
//! - [`search`]: Thai full-text search over documents, coded passages and memos, with
//!   facets and a concordance; an index beside the store, kept current on every write.
//! - [`analyze`]: the cross-site synthesis: framework matrix, code frequencies and
//!   co-occurrence, word frequencies, the support network, the map and the timeline.
//! - [`chart`]: SVG charts for the analyses, readable in Thai and printable.
//! - [`geo`]: Thailand's province boundaries, shipped with rian for the map.
//! - [`exchange`]: a study as a REFI-QDA project (`.qdpx`) and codebook (`.qdc`), out
//!   and in, saying what each way leaves out.
//! - [`demo`]: the demo study of 2566.
//!
//! A tour over a fresh store:
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use rian_core::{demo, store::{Location, Store}};
//! let dir = tempfile::tempdir().unwrap();
//! let store = Store::open(&Location::Sqlite(dir.path().join("rian.sqlite"))).await.unwrap();
//! let demo = demo::load_demo(&store).await.unwrap();
//! let sites = store.site_overviews(demo.study_id).await.unwrap();
//! assert_eq!(sites.len(), 10);
//! assert_eq!(sites[0].site.display_name(), "เขตธนบุรี");
//! # });
//! ```

pub mod access;
pub mod analyze;
pub mod chart;
pub mod demo;
pub mod edit;
mod error;
pub mod exchange;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod geo;
pub mod import;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod review;
pub mod search;
pub mod store;
pub mod thai;

pub use error::{Error, Result};
