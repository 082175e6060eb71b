//! Any bytes given as a REFI-QDA project (`.qdpx`) or codebook (`.qdc`): read or refused,
//! never a panic; a project read has every source's text within the archive's limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rian_core::exchange::{qdpx, refi};

fuzz_target!(|bytes: &[u8]| {
    if let Ok((project, _notices)) = qdpx::unpack(bytes) {
        for s in &project.sources {
            assert!(s.text.as_ref().is_none_or(|t| t.len() <= 256 * 1024 * 1024));
        }
    }
    let _ = refi::read_project(bytes);
    let _ = refi::read_codebook(bytes);
});
