//! `rian user add|reset|disable|enable|list`: the accounts of a shared deployment.

use super::open;
use crate::cli::{StoreArgs, UserCommand};
use crate::table;
use rian_core::model::{Lang, Role};
use rian_core::store::{NewAccount, OpenMode, Store};
use rian_core::{Error, Result};

pub async fn run(args: &StoreArgs, command: UserCommand) -> Result<()> {
    let store = open(args, OpenMode::Existing).await?;
    let done = match command {
        UserCommand::Add {
            name,
            role,
            site,
            studies,
            password_stdin,
        } => {
            add(
                &store,
                &name,
                &role,
                site.as_deref(),
                &studies,
                password_stdin,
            )
            .await
        }
        UserCommand::Reset {
            name,
            password_stdin,
        } => {
            let (password, made) = password(password_stdin)?;
            store.reset_password(&name, &password).await?;
            println!(
                "ตั้งรหัสผ่านใหม่ให้ {name} แล้ว การเข้าสู่ระบบเดิมสิ้นสุด / new password set for {name}; their sessions ended"
            );
            show_made(made.then_some(&password));
            Ok(())
        }
        UserCommand::Studies { name, add, remove } => studies(&store, &name, &add, &remove).await,
        UserCommand::Disable { name } => {
            store.set_account_disabled(&name, true).await?;
            println!("ระงับบัญชี {name} แล้ว / {name} can no longer sign in");
            Ok(())
        }
        UserCommand::Enable { name } => {
            store.set_account_disabled(&name, false).await?;
            println!("เปิดใช้บัญชี {name} อีกครั้งแล้ว / {name} can sign in again");
            Ok(())
        }
        UserCommand::List { json } => list(&store, json).await,
    };
    store.close().await;
    done
}

async fn add(
    store: &Store,
    name: &str,
    role: &str,
    site: Option<&str>,
    studies: &[String],
    password_stdin: bool,
) -> Result<()> {
    let role: Role = role.parse()?;
    let site_id = match site {
        Some(s) => Some(store.find_site(s).await?.id),
        None => None,
    };
    let study_ids = study_ids(store, studies).await?;
    let (password, made) = password(password_stdin)?;
    let account = store
        .add_account(&NewAccount {
            name,
            role,
            site_id,
            studies: &study_ids,
            password: &password,
        })
        .await?;
    println!(
        "เพิ่มบัญชี {} ({}) แล้ว / added {} ({})",
        account.name,
        role.label(Lang::Th),
        account.name,
        role.label(Lang::En)
    );
    show_made(made.then_some(&password));
    Ok(())
}

/// The studies named by their short names, each of which must exist.
async fn study_ids(store: &Store, slugs: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for slug in slugs {
        let study = store
            .study_by_slug(slug.trim())
            .await?
            .ok_or_else(|| Error::Invalid {
                field: "study",
                th: format!("ไม่พบการศึกษา \"{slug}\""),
                en: format!("no study with the short name \"{slug}\""),
            })?;
        ids.push(study.id);
    }
    Ok(ids)
}

async fn studies(store: &Store, name: &str, add: &[String], remove: &[String]) -> Result<()> {
    if add.is_empty() && remove.is_empty() {
        return Err(Error::Invalid {
            field: "study",
            th: "ระบุการศึกษาที่จะเพิ่ม (--add) หรือถอน (--remove)".into(),
            en: "name a study to add (--add) or remove (--remove)".into(),
        });
    }
    let (join, leave) = (
        study_ids(store, add).await?,
        study_ids(store, remove).await?,
    );
    let account = store.change_account_studies(name, &join, &leave).await?;
    let mut slugs = Vec::new();
    for study in store.studies().await? {
        if account.studies.contains(&study.id) {
            slugs.push(study.slug);
        }
    }
    let list = if slugs.is_empty() {
        "-".to_string()
    } else {
        slugs.join(", ")
    };
    println!(
        "{} อยู่ในการศึกษา: {list} / {} belongs to: {list}",
        account.name, account.name
    );
    Ok(())
}

/// The password to set: the first line of standard input, or a new random one (then
/// `true`: it is shown once, for the administrator to hand over).
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_string(), false));
    }
    // 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 100 bits.
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let token = rian_core::access::random_token()?;
    let made: String = token
        .as_bytes()
        .chunks(3)
        .take(20)
        .map(|c| {
            let n = c.iter().fold(0usize, |n, &d| {
                n * 16 + (d as char).to_digit(16).unwrap_or(0) as usize
            });
            ALPHABET[n % ALPHABET.len()] as char
        })
        .collect();
    Ok((made, true))
}

fn show_made(password: Option<&String>) {
    if let Some(p) = password {
        println!("รหัสผ่าน (แสดงครั้งเดียว) / password (shown once): {p}");
    }
}

async fn list(store: &Store, json: bool) -> Result<()> {
    let accounts = store.accounts().await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&accounts).map_err(std::io::Error::other)?
        );
        return Ok(());
    }
    if accounts.is_empty() {
        println!("ยังไม่มีบัญชี / no accounts yet (rian user add NAME --role admin)");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                a.role.label(Lang::Th).to_string(),
                a.site_id.map_or_else(|| "-".into(), |s| s.to_string()),
                a.studies
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                if a.disabled {
                    "ระงับ/disabled"
                } else {
                    "ใช้งาน/active"
                }
                .into(),
            ]
        })
        .collect();
    print!(
        "{}",
        table::render(
            &[
                "ชื่อ/name",
                "บทบาท/role",
                "พื้นที่/site",
                "การศึกษา/studies",
                "สถานะ/status"
            ],
            &rows
        )
    );
    Ok(())
}
