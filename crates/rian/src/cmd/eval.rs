use super::extract::read_text;
use rian_core::extract::eval::{Expected, Scores, score, table};
use rian_core::extract::extract;
use rian_core::{Error, Result};
use std::path::Path;

/// Runs extraction over every NN.txt with an NN.json beside it and prints per-field scores.
pub fn run(dir: &Path, show: bool) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound(dir.to_path_buf()),
        _ => Error::ReadFile {
            path: dir.to_path_buf(),
            source,
        },
    })?;
    let mut texts: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt") && p.with_extension("json").exists())
        .collect();
    texts.sort();
    if texts.is_empty() {
        return Err(Error::NoEvalCases(dir.to_path_buf()));
    }
    let mut scores = Scores::new();
    for path in &texts {
        let json_path = path.with_extension("json");
        let expected: Expected =
            serde_json::from_str(&read_text(&json_path)?).map_err(|e| Error::BadExpected {
                path: json_path.clone(),
                reason: e.to_string(),
            })?;
        let got = extract(&read_text(path)?);
        let mut one = Scores::new();
        score(&mut one, &expected, &got);
        if show {
            for (field, s) in &one {
                if s.right < s.cases {
                    println!("{}: {field} differs", path.display());
                }
            }
        }
        score(&mut scores, &expected, &got);
    }
    print!("{}", table(&scores, texts.len()));
    Ok(())
}
