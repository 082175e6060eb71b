//! `rian check`: is the store sound, and does its search index match it? Used after a
//! crash (the crash test kills rian and runs it), and by anyone who wonders.

use super::Store;
use crate::Result;
use sqlx::Row;

impl Store {
    /// What is wrong with the store, one line each (Thai / English); empty when sound.
    /// Opening the store has already applied a queue of index changes left by a crash.
    pub async fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if !self.integrity_ok().await? {
            problems.push(
                "การตรวจความถูกต้องของฐานข้อมูลไม่ผ่าน / the database's integrity check failed"
                    .to_string(),
            );
        }
        let count = |sql: &'static str| async move {
            let row = sqlx::query(sql).fetch_one(&self.pool).await?;
            Ok::<i64, crate::Error>(row.try_get(0)?)
        };
        // Every change through `edit` writes its record and its line of the activity log
        // in one transaction: a memo without its line (or the other way) is half a write.
        let unlogged = count(
            "SELECT COUNT(*) FROM memo m WHERE NOT EXISTS (SELECT 1 FROM activity a
             WHERE a.entity = 'memo' AND a.entity_id = m.id AND a.action = 'add')",
        )
        .await?;
        if unlogged > 0 {
            problems.push(format!(
                "บันทึก {unlogged} รายการไม่มีในประวัติการแก้ไข / {unlogged} memos are missing from the activity log"
            ));
        }
        let pending = count("SELECT COUNT(*) FROM search_pending").await?;
        let documents = count("SELECT COUNT(*) FROM document").await?;
        let memos = count("SELECT COUNT(*) FROM memo").await?;
        let (indexed_documents, indexed_memos) = self.search_index()?.counts()?;
        if pending == 0 && (indexed_documents != documents as u64 || indexed_memos != memos as u64)
        {
            problems.push(format!(
                "ดัชนีค้นหาไม่ตรงกับฐานข้อมูล (เอกสาร {indexed_documents}/{documents}, บันทึก {indexed_memos}/{memos}) ใช้ rian reindex / the search index does not match the store (documents {indexed_documents}/{documents}, memos {indexed_memos}/{memos}): run rian reindex"
            ));
        }
        Ok(problems)
    }
}
