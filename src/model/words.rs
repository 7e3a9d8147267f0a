//! The words people read for the model's enums, as `Display`: a platform as Microsoft
//! names it, and the console's words for a program's run mode and "program can run".
//! The renderings and the examples print these; scenario files use the keys
//! (`Platform::as_str` and the raw types).

use std::fmt;

use super::{CanRun, DcRole, Platform, RunMode};

impl Platform {
    /// A platform as people write it: `Windows NT 4.0 Workstation`.
    pub const fn describe(self) -> &'static str {
        match self {
            Platform::Windows95 => "Windows 95",
            Platform::Windows98 => "Windows 98",
            Platform::NtWorkstation => "Windows NT 4.0 Workstation",
            Platform::NtServer => "Windows NT 4.0 Server",
            Platform::NtDomainController(DcRole::Pdc) => "Windows NT 4.0 primary domain controller",
            Platform::NtDomainController(DcRole::Bdc) => "Windows NT 4.0 backup domain controller",
            Platform::WindowsClient => "Windows 10/11",
            Platform::WindowsServer => "Windows Server",
            Platform::WindowsDomainController => "Windows Server domain controller",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl RunMode {
    /// The console's words: `run with user's rights`.
    pub const fn describe(self) -> &'static str {
        match self {
            RunMode::UserRights => "run with user's rights",
            RunMode::AdministrativeRights => "run with administrative rights",
        }
    }
}

impl fmt::Display for RunMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl CanRun {
    /// The console's words: `only when a user is logged on`.
    pub const fn describe(self) -> &'static str {
        match self {
            CanRun::OnlyWhenUserLoggedOn => "only when a user is logged on",
            CanRun::WhetherOrNotUserLoggedOn => "whether or not a user is logged on",
            CanRun::OnlyWhenNoUserLoggedOn => "only when no user is logged on",
        }
    }
}

impl fmt::Display for CanRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}
