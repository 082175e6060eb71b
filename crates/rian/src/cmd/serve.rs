use super::{location, open};
use crate::cli::StoreArgs;
use rian_core::Result;
use rian_core::demo::load_demo;
use rian_core::store::{Backend, OpenMode};
use std::net::SocketAddr;

/// How the workbench is shared.
pub struct Mode {
    /// The one person of a laptop without sign-in.
    pub user: String,
    /// Sign-in asked for on a laptop too.
    pub login: bool,
    pub plain_http: bool,
    /// Daily backups: the folder, and how many to keep.
    pub backups: Option<(std::path::PathBuf, usize)>,
}

pub async fn run(args: &StoreArgs, demo: bool, addr: SocketAddr, mode: &Mode) -> Result<()> {
    let location = location(args)?;
    let store = open(args, OpenMode::Create).await?;
    if demo {
        load_demo(&store).await?;
    }
    // A server that several people share signs each of them in; a laptop does not unless
    // asked to.
    let accounts = mode.login || store.backend() == Backend::Postgres;
    if accounts && !store.has_accounts().await? {
        return Err(rian_core::Error::Invalid {
            field: "accounts",
            th: "ยังไม่มีบัญชีผู้ใช้ สร้างผู้ดูแลระบบก่อนด้วย rian user add ชื่อ --role admin".into(),
            en: "no accounts yet: make an administrator first with rian user add NAME --role admin"
                .into(),
        });
    }
    let app = if accounts {
        rian_web::router_with_accounts(
            store.clone(),
            rian_web::SignInOptions {
                plain_http: mode.plain_http,
                ..Default::default()
            },
        )
    } else {
        rian_web::router_for(store.clone(), &mode.user)
    };
    // Held while serving: `rian restore` will not replace the store under a running server.
    let _serving = rian_core::store::StoreLock::serving(&location)?;
    if let Some((dir, keep)) = mode.backups.clone() {
        tokio::spawn(daily_backups(store.clone(), dir, keep));
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    // The URL comes last, and a reader that stops reading (a script that waits for the
    // URL and then closes the pipe) does not stop the server.
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "rian: ฐานข้อมูล / store: {location}");
    if accounts {
        let _ = writeln!(
            out,
            "rian: ทุกคนเข้าสู่ระบบด้วยบัญชีของตน / everyone signs in with their account"
        );
    } else {
        let _ = writeln!(
            out,
            "rian: บันทึกการแก้ไขในชื่อ / changes logged as: {}",
            mode.user
        );
    }
    let _ = writeln!(out, "rian: เปิดเวิร์กเบนช์ที่ / workbench at http://{bound}");
    let _ = out.flush();
    drop(out);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    rian_web::serve(listener, app, shutdown).await?;
    store.close().await;
    Ok(())
}

/// Makes a backup when the newest in `dir` is a day old (checked every hour), keeping
/// `keep`. A failure is said on stderr and tried again the next hour.
async fn daily_backups(store: rian_core::store::Store, dir: std::path::PathBuf, keep: usize) {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
    loop {
        if rian_core::store::backup_due(&dir, DAY, std::time::SystemTime::now()) {
            match store.automatic_backup(&dir, keep).await {
                Ok(made) => eprintln!("rian: สำรองข้อมูลแล้ว / backed up: {}", made.path.display()),
                Err(e) => eprintln!("rian: สำรองข้อมูลไม่สำเร็จ / backup failed: {e}"),
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
