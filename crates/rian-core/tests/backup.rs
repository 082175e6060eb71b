//! Backups: backup → change → restore → compare, a backup made while writes go on is
//! whole, and restore refuses what is not a backup (or a store in use) and leaves the
//! store as it was. On SQLite, and on PostgreSQL (pg_dump, pg_restore) with
//! RIAN_TEST_POSTGRES.

use rian_core::demo::load_demo;
use rian_core::edit;
use rian_core::model::*;
use rian_core::review::LOCAL_USER;
use rian_core::search::Request;
use rian_core::store::{Location, Store, StoreLock, restore};

/// What a person would notice changed: codes, codings, memos, the activity log.
async fn snapshot(
    store: &Store,
    study: i64,
    document: i64,
) -> (Vec<Code>, Vec<Coding>, Vec<Memo>, usize) {
    (
        store.codes(study).await.unwrap(),
        store.codings(document).await.unwrap(),
        store.memos(study, None, None).await.unwrap(),
        store.activity(study, 10_000).await.unwrap().len(),
    )
}

async fn demo(dir: &std::path::Path) -> (Location, Store, i64, i64) {
    let location = rian_core::store::scratch_location(dir).await.unwrap();
    let store = Store::open(&location).await.unwrap();
    let study = load_demo(&store).await.unwrap().study_id;
    let site = store.find_site("1015").await.unwrap().id;
    let forum = store.forums(Some(site)).await.unwrap()[0].id;
    let document = store.documents(forum).await.unwrap()[0].id;
    (location, store, study, document)
}

fn memo(study: i64, site: i64, text: &str) -> Record {
    Record::Memo(Memo {
        id: 0,
        study_id: study,
        target: MemoTarget::Site,
        target_id: site,
        text: text.into(),
        author: String::new(),
        written_at: String::new(),
    })
}

#[tokio::test]
async fn a_restored_backup_is_the_store_as_it_was_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let (location, store, study, document) = demo(dir.path()).await;
    let site = store.find_site("1015").await.unwrap().id;
    edit::create(&store, LOCAL_USER, memo(study, site, "บันทึกก่อนสำรองข้อมูล"))
        .await
        .unwrap();
    let before = snapshot(&store, study, document).await;

    let file = dir.path().join(match location {
        Location::Sqlite(_) => "backup.sqlite",
        Location::Postgres { .. } => "backup.pgdump",
    });
    let made = store.backup(&file).await.unwrap();
    assert!(made.bytes > 10_000, "{made:?}");
    // A second backup to the same name is refused; the first stays.
    assert!(store.backup(&file).await.is_err());

    // Changes after the backup: a memo added, a code deleted with its codings.
    edit::create(&store, LOCAL_USER, memo(study, site, "บันทึกหลังสำรองข้อมูล"))
        .await
        .unwrap();
    let code = before.0.iter().find(|c| c.parent_id.is_some()).unwrap().id;
    edit::delete(&store, LOCAL_USER, Entity::Code, code)
        .await
        .unwrap();
    assert_ne!(snapshot(&store, study, document).await, before);
    store.close().await;

    let backup_bytes = std::fs::read(&file).unwrap();
    let restored = restore(&location, &file).await.unwrap();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        backup_bytes,
        "the backup is only read"
    );
    assert_eq!(restored.studies, 1);
    let store = Store::open(&location).await.unwrap();
    assert_eq!(snapshot(&store, study, document).await, before);
    assert!(store.integrity_ok().await.unwrap());
    // The search index describes the restored store.
    let index = store.search_index().unwrap();
    let found = index
        .search(&store, &Request::new("บันทึกก่อนสำรองข้อมูล"))
        .await
        .unwrap();
    assert!(found.total >= 1);
    let gone = index
        .search(&store, &Request::new("บันทึกหลังสำรองข้อมูล"))
        .await
        .unwrap();
    assert_eq!(
        gone.total, 0,
        "a memo written after the backup is not found"
    );
    if let Some(previous) = restored.previous {
        // The store as it was before the restore is kept, and is itself a sound store.
        let kept = Store::open_detached(
            &Location::Sqlite(previous),
            rian_core::store::OpenMode::Existing,
        )
        .await
        .unwrap();
        assert!(kept.integrity_ok().await.unwrap());
        assert_eq!(
            kept.memos(study, None, None).await.unwrap().len(),
            before.2.len() + 1
        );
    }
}

#[tokio::test]
async fn a_backup_made_during_writes_holds_each_write_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (location, store, study, _) = demo(dir.path()).await;
    let Location::Sqlite(_) = location else {
        return; // pg_dump's snapshot is the server's to keep; checked on SQLite here.
    };
    let site = store.find_site("1015").await.unwrap().id;
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                edit::create(&store, LOCAL_USER, memo(study, site, &format!("บันทึกที่ {i}")))
                    .await
                    .unwrap();
            }
        })
    };
    let file = dir.path().join("during.sqlite");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    store.backup(&file).await.unwrap();
    writer.await.unwrap();
    let copy = Store::open_detached(
        &Location::Sqlite(file),
        rian_core::store::OpenMode::Existing,
    )
    .await
    .unwrap();
    assert!(copy.integrity_ok().await.unwrap());
    // Each memo and its line in the activity log are in the copy together, or neither.
    let memos = copy.memos(study, None, None).await.unwrap().len();
    let logged = copy
        .activity(study, 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|a| a.entity == "memo" && a.action == "add")
        .count();
    assert_eq!(memos, logged);
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_backup_and_a_store_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let (location, store, study, document) = demo(dir.path()).await;
    let before = snapshot(&store, study, document).await;
    store.close().await;
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "ไม่ใช่ไฟล์สำรอง").unwrap();
    let e = restore(&location, &text).await.unwrap_err().to_string();
    assert!(
        e.contains("ไม่ใช่ไฟล์สำรองของ rian") && e.contains("not a rian backup"),
        "{e}"
    );
    assert!(
        restore(&location, &dir.path().join("missing.sqlite"))
            .await
            .is_err()
    );
    if let Location::Sqlite(path) = &location {
        // A SQLite header with nothing after it: refused by the check, nothing replaced.
        let truncated = dir.path().join("truncated.sqlite");
        let bytes = std::fs::read(path).unwrap();
        std::fs::write(&truncated, &bytes[..4096.min(bytes.len())]).unwrap();
        assert!(restore(&location, &truncated).await.is_err());
        // The backup itself is only read, never changed, and no copy is left behind.
        assert_eq!(
            std::fs::read(&truncated).unwrap(),
            &bytes[..4096.min(bytes.len())]
        );
        assert!(!path.with_file_name("rian.sqlite.partial").exists());
        // A backup of the other kind of store points to `rian copy`.
        let dump = dir.path().join("server.pgdump");
        std::fs::write(&dump, b"PGDMP\x01\x0e\x00").unwrap();
        let e = restore(&location, &dump).await.unwrap_err().to_string();
        assert!(e.contains("rian copy"), "{e}");
        // A server holds the store: restore waits for it to stop.
        let good = dir.path().join("good.sqlite");
        Store::open(&location)
            .await
            .unwrap()
            .backup(&good)
            .await
            .unwrap();
        let serving = StoreLock::serving(&location).unwrap();
        let e = restore(&location, &good).await.unwrap_err().to_string();
        assert!(e.contains("stop it first"), "{e}");
        drop(serving);
        restore(&location, &good).await.unwrap();
    }
    if let Location::Postgres { .. } = &location {
        // A server still connected: restore waits for it to stop, and changes nothing.
        let dump = dir.path().join("good.pgdump");
        let serving = Store::open(&location).await.unwrap();
        serving.backup(&dump).await.unwrap();
        let e = restore(&location, &dump).await.unwrap_err().to_string();
        assert!(e.contains("stop it first"), "{e}");
        assert_eq!(snapshot(&serving, study, document).await, before);
        serving.close().await;
        restore(&location, &dump).await.unwrap();
    }
    let store = Store::open(&location).await.unwrap();
    assert_eq!(snapshot(&store, study, document).await, before);
}
