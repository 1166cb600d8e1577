//! The Windows side: files private by an owner-only access list (DACL) set at creation and
//! checked on use, processes known by pid and creation time, console control for signals,
//! `exec` as run-and-exit. The keeper is not available here yet: `--persist` is refused.

pub mod signals;

use std::ffi::{OsStr, c_void};
use std::fs::{self, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::os::windows::ffi::OsStrExt;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::Duration;

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS, GetLastError, HANDLE, HLOCAL,
    LocalFree, STILL_ACTIVE,
};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT, SetNamedSecurityInfoW,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_REVISION, AddAccessAllowedAceEx,
    CONTAINER_INHERIT_ACE, DACL_SECURITY_INFORMATION, EqualSid, GetAce, GetLengthSid,
    GetTokenInformation, InitializeAcl, InitializeSecurityDescriptor, IsWellKnownSid,
    LookupAccountSidW, OBJECT_INHERIT_ACE, OWNER_SECURITY_INFORMATION,
    PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SE_DACL_PROTECTED,
    SECURITY_ATTRIBUTES, SECURITY_DESCRIPTOR, SetSecurityDescriptorControl,
    SetSecurityDescriptorDacl, TOKEN_QUERY, TOKEN_USER, TokenUser, WinBuiltinAdministratorsSid,
    WinLocalSystemSid,
};
use windows_sys::Win32::Storage::FileSystem::{
    CreateDirectoryW, DELETE, FILE_ALL_ACCESS, FILE_APPEND_DATA, FILE_FLAG_OPEN_REPARSE_POINT,
    FILE_READ_DATA, FILE_WRITE_ATTRIBUTES, FILE_WRITE_DATA, FILE_WRITE_EA,
};
use windows_sys::Win32::System::SystemServices::{
    ACCESS_ALLOWED_ACE_TYPE, SECURITY_DESCRIPTOR_REVISION,
};
use windows_sys::Win32::System::Threading::{
    CREATE_NEW_PROCESS_GROUP, DETACHED_PROCESS, GetCurrentProcess, GetExitCodeProcess,
    GetProcessTimes, OpenProcess, OpenProcessToken, PROCESS_NAME_WIN32,
    PROCESS_QUERY_LIMITED_INFORMATION, QueryFullProcessImageNameW,
};

use super::{Ancestry, Distrust, Exposed};

/// The keeper (`--persist`) does not run on Windows yet.
pub const KEEPER: bool = false;

/// Rights that let another account change or swap a file.
const CHANGE: u32 = FILE_WRITE_DATA
    | FILE_APPEND_DATA
    | FILE_WRITE_EA
    | FILE_WRITE_ATTRIBUTES
    | DELETE
    | 0x0004_0000 // WRITE_DAC
    | 0x0008_0000 // WRITE_OWNER
    | 0x1000_0000 // GENERIC_ALL
    | 0x4000_0000; // GENERIC_WRITE
/// Rights that also let another account read a file's content.
const READ_OR_CHANGE: u32 = CHANGE | FILE_READ_DATA | 0x8000_0000; // GENERIC_READ

fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(Some(0)).collect()
}

/// A handle closed on drop.
struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle this module opened and owns.
        unsafe { CloseHandle(self.0) };
    }
}

/// Memory the system allocated with LocalAlloc, freed on drop.
struct Local(*mut c_void);

impl Drop for Local {
    fn drop(&mut self) {
        // SAFETY: a pointer the system handed over for LocalFree.
        unsafe { LocalFree(self.0 as HLOCAL) };
    }
}

/// This process's user SID, in a buffer that holds the TOKEN_USER it came in.
struct Me(Vec<u64>);

impl Me {
    fn get() -> io::Result<Me> {
        // SAFETY: token queried into a buffer of the size asked for, aligned for TOKEN_USER.
        unsafe {
            let mut token: HANDLE = std::ptr::null_mut();
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(io::Error::last_os_error());
            }
            let token = Handle(token);
            let mut len = 0u32;
            GetTokenInformation(token.0, TokenUser, std::ptr::null_mut(), 0, &mut len);
            let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
            if GetTokenInformation(token.0, TokenUser, buf.as_mut_ptr().cast(), len, &mut len) == 0
            {
                return Err(io::Error::last_os_error());
            }
            Ok(Me(buf))
        }
    }

    fn sid(&self) -> PSID {
        // SAFETY: the buffer holds a TOKEN_USER filled by GetTokenInformation.
        unsafe { (*(self.0.as_ptr() as *const TOKEN_USER)).User.Sid }
    }
}

/// An account as an operator knows it: `DOMAIN\name (S-1-...)`, or the SID alone.
fn sid_string(sid: PSID) -> String {
    let mut out: *mut u16 = std::ptr::null_mut();
    // SAFETY: a valid SID; the string is freed by Local.
    let text = unsafe {
        if ConvertSidToStringSidW(sid, &mut out) == 0 {
            return "an unknown account".into();
        }
        let _free = Local(out.cast());
        let len = (0..).take_while(|&i| *out.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(out, len))
    };
    match account_name(sid) {
        Some(name) => format!("{name} ({text})"),
        None => text,
    }
}

fn account_name(sid: PSID) -> Option<String> {
    let (mut name, mut domain) = (vec![0u16; 256], vec![0u16; 256]);
    let (mut name_len, mut domain_len) = (name.len() as u32, domain.len() as u32);
    let mut kind = 0;
    // SAFETY: buffers of the sizes given.
    let ok = unsafe {
        LookupAccountSidW(
            std::ptr::null(),
            sid,
            name.as_mut_ptr(),
            &mut name_len,
            domain.as_mut_ptr(),
            &mut domain_len,
            &mut kind,
        )
    };
    if ok == 0 {
        return None;
    }
    let name = String::from_utf16_lossy(&name[..name_len as usize]);
    let domain = String::from_utf16_lossy(&domain[..domain_len as usize]);
    Some(if domain.is_empty() {
        name
    } else {
        format!("{domain}\\{name}")
    })
}

/// An owner-only DACL, inherited by what is created inside, in a security descriptor.
struct OwnerOnly {
    acl: Vec<u64>,
    sd: Box<SECURITY_DESCRIPTOR>,
}

impl OwnerOnly {
    fn new(me: &Me) -> io::Result<OwnerOnly> {
        // SAFETY: ACL and descriptor buffers sized for one ACE with the user's SID.
        unsafe {
            let size = std::mem::size_of::<ACL>()
                + std::mem::size_of::<ACCESS_ALLOWED_ACE>()
                + GetLengthSid(me.sid()) as usize;
            let mut acl = vec![0u64; size.div_ceil(8)];
            let pacl = acl.as_mut_ptr() as *mut ACL;
            let mut sd: Box<SECURITY_DESCRIPTOR> = Box::new(std::mem::zeroed());
            let psd = &mut *sd as *mut SECURITY_DESCRIPTOR as PSECURITY_DESCRIPTOR;
            if InitializeAcl(pacl, (acl.len() * 8) as u32, ACL_REVISION) == 0
                || AddAccessAllowedAceEx(
                    pacl,
                    ACL_REVISION,
                    OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE,
                    FILE_ALL_ACCESS,
                    me.sid(),
                ) == 0
                || InitializeSecurityDescriptor(psd, SECURITY_DESCRIPTOR_REVISION) == 0
                || SetSecurityDescriptorDacl(psd, 1, pacl, 0) == 0
                || SetSecurityDescriptorControl(psd, SE_DACL_PROTECTED, SE_DACL_PROTECTED) == 0
            {
                return Err(io::Error::last_os_error());
            }
            Ok(OwnerOnly { acl, sd })
        }
    }
}

/// Open the path itself, never where a symlink or junction there leads.
pub fn no_follow(opts: &mut OpenOptions) -> &mut OpenOptions {
    opts.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
}

/// Files created in the cache directory inherit its owner-only access list (and
/// `make_private` sets it again).
pub fn private_file(opts: &mut OpenOptions) -> &mut OpenOptions {
    opts
}

/// Give a file just created, before anything is written to it, the owner-only access list,
/// in case it did not inherit one (Wine, for one, applies no inheritance).
pub fn make_private(path: &Path) -> io::Result<()> {
    let me = Me::get()?;
    let owner_only = OwnerOnly::new(&me)?;
    let wpath = wide(path.as_os_str());
    // SAFETY: a NUL-terminated path and an ACL that outlives the call.
    let rc = unsafe {
        SetNamedSecurityInfoW(
            wpath.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            owner_only.acl.as_ptr() as *const ACL,
            std::ptr::null(),
        )
    };
    match rc {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e as i32)),
    }
}

/// Create `dir` (and missing parents), the last one with an owner-only access list that
/// its files inherit; an existing one is kept as it is, for `check_private` to judge.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let me = Me::get()?;
    let owner_only = OwnerOnly::new(&me)?;
    let sa = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: &*owner_only.sd as *const SECURITY_DESCRIPTOR as *mut c_void,
        bInheritHandle: 0,
    };
    let path = wide(dir.as_os_str());
    // SAFETY: a NUL-terminated path and a valid descriptor that outlives the call.
    if unsafe { CreateDirectoryW(path.as_ptr(), &sa) } == 0 {
        // SAFETY: no call in between.
        if unsafe { GetLastError() } != ERROR_ALREADY_EXISTS {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// What makes a file or directory not private.
enum Finding {
    Unreadable(io::Error),
    /// Owned by another account (its SID, and this user's).
    Owner(String, String),
    /// No access list at all: everyone may do anything.
    NoDacl,
    /// An access-list entry grants another account (this SID) some of the rights asked about.
    Grant(String),
}

/// The owner, and the grants of `rights` to accounts other than this user, SYSTEM and the
/// Administrators (who can take any file anyway, as root can on Unix).
fn inspect(path: &Path, rights: u32) -> Result<(), Finding> {
    let me = Me::get().map_err(Finding::Unreadable)?;
    let wpath = wide(path.as_os_str());
    let mut owner: PSID = std::ptr::null_mut();
    let mut dacl: *mut ACL = std::ptr::null_mut();
    let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: out-pointers into the descriptor, which Local frees after their last use.
    unsafe {
        let rc = GetNamedSecurityInfoW(
            wpath.as_ptr(),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
            &mut owner,
            std::ptr::null_mut(),
            &mut dacl,
            std::ptr::null_mut(),
            &mut sd,
        );
        if rc != 0 {
            return Err(Finding::Unreadable(io::Error::from_raw_os_error(rc as i32)));
        }
        let _free = Local(sd);
        let trusted = |sid: PSID| {
            EqualSid(sid, me.sid()) != 0
                || IsWellKnownSid(sid, WinLocalSystemSid) != 0
                || IsWellKnownSid(sid, WinBuiltinAdministratorsSid) != 0
        };
        if owner.is_null() || !trusted(owner) {
            let who = if owner.is_null() {
                "no account".into()
            } else {
                sid_string(owner)
            };
            return Err(Finding::Owner(who, sid_string(me.sid())));
        }
        if dacl.is_null() {
            return Err(Finding::NoDacl);
        }
        for i in 0..u32::from((*dacl).AceCount) {
            let mut ace: *mut c_void = std::ptr::null_mut();
            if GetAce(dacl, i, &mut ace) == 0 {
                continue;
            }
            let header = &*(ace as *const ACE_HEADER);
            if u32::from(header.AceType) != ACCESS_ALLOWED_ACE_TYPE {
                continue; // Deny entries only take away.
            }
            let allowed = &*(ace as *const ACCESS_ALLOWED_ACE);
            let sid = &allowed.SidStart as *const u32 as PSID;
            if !trusted(sid) && allowed.Mask & rights != 0 {
                return Err(Finding::Grant(sid_string(sid)));
            }
        }
    }
    Ok(())
}

/// A directory cannot be opened as a file to fsync it here, nor need it be: NTFS journals
/// the rename itself.
pub fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Owned by this user, and no access-list entry lets another account (other than SYSTEM
/// and the Administrators) read or change it.
pub fn check_private(path: &Path, _meta: &Metadata) -> Result<(), Exposed> {
    let open = |how: String| Exposed::Open {
        how,
        fix: fix_acl(path),
    };
    match inspect(path, READ_OR_CHANGE) {
        Ok(()) => Ok(()),
        Err(Finding::Unreadable(e)) => Err(open(format!("its access list cannot be read: {e}"))),
        Err(Finding::Owner(owner, me)) => Err(Exposed::Owner {
            owner,
            me,
            fix: format!("takeown /f \"{}\"", path.display()),
        }),
        Err(Finding::NoDacl) => Err(open("no access list: everyone may use it".into())),
        Err(Finding::Grant(sid)) => Err(open(format!("its access list lets {sid} in"))),
    }
}

/// The settings file may be readable by others, but only this user (or the system's own
/// accounts) may change it.
pub fn check_trusted(file_path: &Path, _meta: &Metadata) -> Result<(), Distrust> {
    let untrusted = |why: String, fix: String| Distrust::Untrusted {
        path: file_path.to_owned(),
        why,
        fix,
    };
    let fix = || {
        format!(
            "icacls \"{}\" /inheritance:r /grant:r \"%USERNAME%:F\"",
            file_path.display()
        )
    };
    match inspect(file_path, CHANGE) {
        Ok(()) => Ok(()),
        Err(Finding::Unreadable(e)) => Err(Distrust::Io(file_path.to_owned(), e)),
        Err(Finding::Owner(owner, me)) => Err(untrusted(
            format!("owned by {owner}, not by you ({me}) or the Administrators"),
            format!("takeown /f \"{}\"", file_path.display()),
        )),
        Err(Finding::NoDacl) => Err(untrusted(
            "writable by everyone (no access list)".into(),
            fix(),
        )),
        Err(Finding::Grant(sid)) => Err(untrusted(format!("writable by {sid}"), fix())),
    }
}

fn fix_acl(path: &Path) -> String {
    format!(
        "icacls \"{}\" /inheritance:r /grant:r \"%USERNAME%:(OI)(CI)F\"",
        path.display()
    )
}

/// The directories above the cache are the user's profile, protected by Windows itself;
/// the cache directory's own access list is what `check_private` checks.
pub fn check_ancestry(_dir: &Path) -> Result<(), Ancestry> {
    Ok(())
}

fn open_process(pid: u32) -> Option<Handle> {
    // SAFETY: the handle, if any, is closed by Handle.
    let h = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    (!h.is_null()).then_some(Handle(h))
}

/// Does process `pid` exist and still run?
pub fn process_alive(pid: u32) -> bool {
    let Some(h) = open_process(pid) else {
        // Access denied: it exists, but is another account's (or protected).
        // SAFETY: right after the failed call.
        return pid != 0 && unsafe { GetLastError() } == ERROR_ACCESS_DENIED;
    };
    let mut code = 0u32;
    // SAFETY: a process handle with query rights.
    unsafe { GetExitCodeProcess(h.0, &mut code) != 0 && code == STILL_ACTIVE as u32 }
}

/// The program name of a live process (its image's file name, without the directory).
pub fn process_name(pid: u32) -> Option<String> {
    let h = open_process(pid)?;
    let mut buf = vec![0u16; 1024];
    let mut len = buf.len() as u32;
    // SAFETY: a buffer of `len` UTF-16 units.
    if unsafe { QueryFullProcessImageNameW(h.0, PROCESS_NAME_WIN32, buf.as_mut_ptr(), &mut len) }
        == 0
    {
        return None;
    }
    let full = String::from_utf16_lossy(&buf[..len as usize]);
    Some(full.rsplit('\\').next().unwrap_or(&full).to_owned())
}

/// The process that started this one (the shell or script), from a snapshot of the
/// process table.
pub fn parent_pid() -> Option<u32> {
    use windows_sys::Win32::System::Diagnostics::ToolHelp::{
        CreateToolhelp32Snapshot, PROCESSENTRY32W, Process32FirstW, Process32NextW,
        TH32CS_SNAPPROCESS,
    };
    let me = std::process::id();
    // SAFETY: a snapshot handle closed by Handle; entries of the size they say.
    unsafe {
        let snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
        if snap.is_null() || snap == windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE {
            return None;
        }
        let snap = Handle(snap);
        let mut entry: PROCESSENTRY32W = std::mem::zeroed();
        entry.dwSize = std::mem::size_of::<PROCESSENTRY32W>() as u32;
        let mut more = Process32FirstW(snap.0, &mut entry) != 0;
        while more {
            if entry.th32ProcessID == me {
                return Some(entry.th32ParentProcessID).filter(|&p| p != 0);
            }
            more = Process32NextW(snap.0, &mut entry) != 0;
        }
        None
    }
}

/// When process `pid` was created (a FILETIME: 100 ns since 1601), which with the pid tells
/// it from a later process that got its pid. None when there is no such process.
pub fn process_start(pid: u32) -> Option<u64> {
    use windows_sys::Win32::Foundation::FILETIME;
    if !process_alive(pid) {
        return None;
    }
    let h = open_process(pid)?;
    let zero = FILETIME {
        dwLowDateTime: 0,
        dwHighDateTime: 0,
    };
    let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
    // SAFETY: a process handle with query rights and four out-parameters.
    let ok = unsafe { GetProcessTimes(h.0, &mut created, &mut exited, &mut kernel, &mut user) };
    (ok != 0).then(|| u64::from(created.dwHighDateTime) << 32 | u64::from(created.dwLowDateTime))
}

/// Creation times are absolute: the boot needs no name of its own.
pub fn boot_id() -> String {
    String::new()
}

/// Windows cannot replace a process's program: run `cmd` and exit with its code. Returns
/// only when it could not be started.
pub fn exec(cmd: &mut Command) -> io::Error {
    match signals::run_child(cmd) {
        Ok(status) => exit_like(status),
        Err(e) => e,
    }
}

/// End this process with the child's exit code.
pub fn exit_like(status: ExitStatus) -> ! {
    std::process::exit(status.code().unwrap_or(1))
}

/// Start `cmd` without this console, to outlive this process.
pub fn detach(cmd: &mut Command) {
    cmd.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
}

fn no_keeper() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "the keeper (--persist) is not available on Windows yet",
    )
}

/// The keeper's connections, which do not exist on Windows yet: connecting fails, so every
/// call goes to the BMC directly.
#[derive(Debug)]
pub enum IpcStream {}

/// See `IpcStream`.
#[derive(Debug)]
pub enum IpcListener {}

impl IpcStream {
    pub fn connect(_path: impl AsRef<Path>) -> io::Result<IpcStream> {
        Err(no_keeper())
    }
    pub fn set_read_timeout(&self, _: Option<Duration>) -> io::Result<()> {
        match *self {}
    }
    pub fn set_write_timeout(&self, _: Option<Duration>) -> io::Result<()> {
        match *self {}
    }
    pub fn try_clone(&self) -> io::Result<IpcStream> {
        match *self {}
    }
}

impl Read for IpcStream {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match *self {}
    }
}

impl Write for IpcStream {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        match *self {}
    }
    fn flush(&mut self) -> io::Result<()> {
        match *self {}
    }
}

impl IpcListener {
    pub fn accept(&self) -> io::Result<(IpcStream, ())> {
        match *self {}
    }
}

pub fn bind_private(_path: &Path) -> io::Result<IpcListener> {
    Err(no_keeper())
}

/// Windows has no small per-process limit of open handles to raise.
pub fn raise_open_files() {}

/// The system's allocator needs no tuning.
pub fn few_malloc_arenas() {}

/// Milliseconds since boot, the same in every process of the machine.
pub fn monotonic_ms() -> u64 {
    // SAFETY: no arguments, no failure.
    unsafe { windows_sys::Win32::System::SystemInformation::GetTickCount64() }
}

pub fn readable(listener: &IpcListener, _wait: Duration) -> io::Result<bool> {
    match *listener {}
}

pub fn peer_is_me(conn: &IpcStream) -> bool {
    match *conn {}
}

/// The index of network interface `name`, for a link-local address's zone.
pub fn interface_index(name: &str) -> Option<u32> {
    let name = std::ffi::CString::new(name).ok()?;
    // SAFETY: a NUL-terminated string.
    match unsafe {
        windows_sys::Win32::NetworkManagement::IpHelper::if_nametoindex(name.as_ptr().cast())
    } {
        0 => None,
        n => Some(n),
    }
}

/// The system's CA store is the certificate store, not files (and there is no keeper).
pub fn probed_ca_store() -> Vec<std::path::PathBuf> {
    Vec::new()
}

/// What tells a file's versions apart: its size and modification time.
pub fn file_identity(m: &std::fs::Metadata) -> (u64, u64, u64, i128, i128) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    (0, 0, m.len(), mtime, 0)
}
