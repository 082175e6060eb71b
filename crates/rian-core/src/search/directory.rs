//! Where the index's files live: Tantivy's memory-mapped directory, with the flushes to
//! disk gathered at each commit instead of one after another.
//!
//! Tantivy's own directory syncs every segment file as it is finished, rewrites and syncs
//! its list of files for each new one, and syncs the folder before each commit: a commit
//! of one changed passage cost some fifteen flushes in a row, about 4 ms each on the
//! server this was measured on, and every coding written waited for one (issue 10's load
//! test). Here files are written without a flush; the commit (the atomic write of
//! `meta.json`, which is what makes new segments part of the index) flushes every file
//! finished since the last commit at once, from as many threads, then renames the new
//! `meta.json` into place and flushes the folder. The disk takes the parallel flushes in
//! about the time of one or two.
//!
//! Crash safety is unchanged: `meta.json` only ever names files whose contents reached
//! the disk before it was renamed into place, and the rename itself is on disk before the
//! commit returns (so before the store forgets the queue of changes it applied). Files
//! written but not yet committed may be lost in a crash, as before; Tantivy's list of the
//! files it manages may be too (its folder is then cleared and rebuilt from the store at
//! start, as for any unreadable index).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// The file that makes a commit: what Tantivy writes last, naming the segments.
const META: &str = "meta.json";

/// Tantivy's memory-mapped directory, flushing to disk once per commit.
#[derive(Clone, Debug)]
pub struct GroupSyncDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    /// Files finished since the last commit, not yet flushed to disk.
    unsynced: Arc<Mutex<Vec<PathBuf>>>,
    /// Files opened for reading ([`GroupSyncDirectory::release_pages`]).
    opened: Arc<Mutex<Vec<Weak<dyn FileHandle>>>>,
}

impl GroupSyncDirectory {
    /// Lets go of the pages of every file open for reading that this process holds
    /// mapped. A merge reads its segments through memory maps, and each page read stays
    /// counted in the process's resident memory until the file is closed: rebuilding an
    /// index of 100,000 documents held some 500 MB of them at its last merge. The pages
    /// stay in the kernel's page cache; a later read maps them again without touching
    /// the disk.
    pub fn release_pages(&self) {
        let Ok(mut opened) = self.opened.lock() else {
            return;
        };
        opened.retain(|h| h.strong_count() > 0);
        for handle in opened.iter().filter_map(Weak::upgrade) {
            if let Ok(bytes) = handle.read_bytes(0..handle.len()) {
                release_mapped(bytes.as_slice());
            }
        }
    }
}

/// Drops the process's mapping of the pages under `mapped`, a read-only mapping of a
/// file (Tantivy's memory-mapped directory maps every file it reads that is not empty).
fn release_mapped(mapped: &[u8]) {
    if mapped.is_empty() {
        return;
    }
    // SAFETY (the madvise below): `mapped` lies in a shared, read-only mapping of a file
    // (MmapDirectory's), so MADV_DONTNEED discards no data: the next read of a page
    // faults it back in from the page cache. The last page is whole in the mapping.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as usize;
    let start = mapped.as_ptr() as usize;
    // From the first whole page: a mapping starts on one, and nothing before it is touched.
    let first = (start + page - 1) & !(page - 1);
    let end = start + mapped.len();
    if first < end {
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_DONTNEED);
        }
    }
}

/// Names temporary files apart when several threads or processes write at once.
static TEMP: AtomicU64 = AtomicU64::new(0);

impl GroupSyncDirectory {
    pub fn open(root: &Path) -> tantivy::Result<GroupSyncDirectory> {
        Ok(GroupSyncDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            unsynced: Default::default(),
            opened: Default::default(),
        })
    }

    /// How many finished files wait for the next commit to reach the disk.
    #[cfg(test)]
    fn unsynced(&self) -> usize {
        self.unsynced.lock().map_or(0, |u| u.len())
    }

    fn temp_path(&self, name: &Path) -> PathBuf {
        let n = TEMP.fetch_add(1, Ordering::Relaxed);
        // A leading dot: Tantivy leaves such files alone (it reserves them for locks).
        self.root.join(format!(
            ".{}.{}.{n}.tmp",
            name.display(),
            std::process::id()
        ))
    }

    /// Writes `data` under a temporary name, to be renamed over `path`.
    fn write_temp(&self, path: &Path, data: &[u8]) -> io::Result<PathBuf> {
        let temp = self.temp_path(path);
        let mut file = File::create(&temp)?;
        file.write_all(data)?;
        Ok(temp)
    }

    /// The commit: every file finished since the last one and the new `meta.json` flushed
    /// together, then `meta.json` renamed into place and the folder flushed.
    fn commit_meta(&self, data: &[u8]) -> io::Result<()> {
        let temp = self.write_temp(Path::new(META), data)?;
        let files: Vec<PathBuf> = std::mem::take(&mut *self.lock_unsynced()?);
        let flushed = sync_all_at_once(files.iter().chain([&temp]));
        if let Err(e) = flushed {
            // Keep them for the next commit to try again.
            self.lock_unsynced()?.extend(files);
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        std::fs::rename(&temp, self.root.join(META))?;
        File::open(&self.root)?.sync_all()
    }

    fn lock_unsynced(&self) -> io::Result<std::sync::MutexGuard<'_, Vec<PathBuf>>> {
        self.unsynced
            .lock()
            .map_err(|_| io::Error::other("index directory: a writer thread panicked"))
    }
}

/// Flushes each file to disk, all at once (one thread each): on ext4 and most disks,
/// flushes that arrive together share one journal commit.
fn sync_all_at_once<'a>(paths: impl Iterator<Item = &'a PathBuf>) -> io::Result<()> {
    let paths: Vec<&PathBuf> = paths.collect();
    let sync = |p: &PathBuf| match File::open(p) {
        Ok(f) => f.sync_data(),
        // Deleted since (a merge took it in): nothing to flush.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    if paths.len() <= 1 {
        return paths.into_iter().try_for_each(sync);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = paths.iter().map(|p| s.spawn(move || sync(p))).collect();
        // The scope joins any thread left when the first error returns.
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("panic"))))
    })
}

impl Directory for GroupSyncDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let handle = self.inner.get_file_handle(path)?;
        if let Ok(mut opened) = self.opened.lock() {
            opened.retain(|h| h.strong_count() > 0);
            opened.push(Arc::downgrade(&handle));
        }
        Ok(handle)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        let full = self.root.join(path);
        if let Ok(mut unsynced) = self.unsynced.lock() {
            unsynced.retain(|p| *p != full);
        }
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let full = self.root.join(path);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(io::BufWriter::new(Box::new(UnsyncedFile {
            file,
            path: full,
            unsynced: self.unsynced.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if path == Path::new(META) {
            return self.commit_meta(data);
        }
        // Tantivy's list of its files: replaced whole, flushed with the next commit.
        let temp = self.write_temp(path, data)?;
        let full = self.root.join(path);
        std::fs::rename(&temp, &full)?;
        self.lock_unsynced()?.push(full);
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        // The commit flushes the folder after renaming `meta.json`; a flush before it
        // adds nothing that commit does not.
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// A file being written, to be flushed to disk by the next commit once it is finished.
struct UnsyncedFile {
    file: File,
    path: PathBuf,
    unsynced: Arc<Mutex<Vec<PathBuf>>>,
}

impl Write for UnsyncedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl TerminatingWrite for UnsyncedFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.file.flush()?;
        // Only a finished file joins the list: a commit must not take a file still being
        // written (a merge's) off it, or that file's later part would go unflushed.
        self.unsynced
            .lock()
            .map_err(|_| io::Error::other("index directory: a writer thread panicked"))?
            .push(std::mem::take(&mut self.path));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_flushes_every_finished_file_and_no_unfinished_one() {
        let dir = tempfile::tempdir().unwrap();
        let d = GroupSyncDirectory::open(dir.path()).unwrap();
        let mut done = d.open_write(Path::new("a.idx")).unwrap();
        done.write_all(b"finished").unwrap();
        done.terminate().unwrap();
        let mut writing = d.open_write(Path::new("b.idx")).unwrap();
        writing.write_all(b"half").unwrap();
        writing.flush().unwrap();
        assert_eq!(
            d.unsynced(),
            1,
            "only the finished file waits for the commit"
        );
        d.atomic_write(Path::new(".managed.json"), b"[]").unwrap();
        assert_eq!(d.unsynced(), 2);

        d.atomic_write(Path::new(META), b"{}").unwrap();
        assert_eq!(d.unsynced(), 0, "the commit flushed them");
        assert_eq!(d.atomic_read(Path::new(META)).unwrap(), b"{}");
        assert_eq!(
            std::fs::read(dir.path().join("a.idx")).unwrap(),
            b"finished"
        );
        writing.terminate().unwrap();
        assert_eq!(
            d.unsynced(),
            1,
            "finished after the commit: waits for the next"
        );
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn an_existing_file_is_not_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let d = GroupSyncDirectory::open(dir.path()).unwrap();
        let w = d.open_write(Path::new("a.idx")).unwrap();
        w.terminate().unwrap();
        assert!(matches!(
            d.open_write(Path::new("a.idx")),
            Err(OpenWriteError::FileAlreadyExists(_))
        ));
    }

    #[test]
    fn released_pages_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let d = GroupSyncDirectory::open(dir.path()).unwrap();
        let data: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut w = d.open_write(Path::new("a.idx")).unwrap();
        w.write_all(&data).unwrap();
        w.terminate().unwrap();
        let handle = d.get_file_handle(Path::new("a.idx")).unwrap();
        let bytes = handle.read_bytes(0..handle.len()).unwrap();
        assert_eq!(bytes.as_slice(), &data[..]);
        // Were the handle not a map of the file, its memory would now read as zeros.
        d.release_pages();
        assert_eq!(bytes.as_slice(), &data[..]);
        let again = d.get_file_handle(Path::new("a.idx")).unwrap();
        assert_eq!(
            again.read_bytes(100..5000).unwrap().as_slice(),
            &data[100..5000]
        );
        drop((handle, bytes, again));
        d.release_pages();
        assert_eq!(
            d.opened.lock().unwrap().len(),
            0,
            "closed files are forgotten"
        );
    }

    #[test]
    fn a_deleted_file_leaves_the_list() {
        let dir = tempfile::tempdir().unwrap();
        let d = GroupSyncDirectory::open(dir.path()).unwrap();
        let w = d.open_write(Path::new("a.idx")).unwrap();
        w.terminate().unwrap();
        d.delete(Path::new("a.idx")).unwrap();
        assert_eq!(d.unsynced(), 0);
        d.atomic_write(Path::new(META), b"{}").unwrap();
    }
}
