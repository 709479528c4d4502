//! The status of an outcome: what evaluation decides, before any words.

use serde::{Deserialize, Serialize};

/// The status of one rule for one entity.
///
/// ```
/// use zhibiao::Status;
///
/// assert_eq!(Status::parse("未达标"), Some(Status::Fail));
/// assert_eq!(Status::parse("pass").map(Status::chinese), Some("达标"));
/// assert_eq!(Status::ALL[0], Status::Fail);
/// // Sorting by status puts the worst first.
/// assert!(Status::Fail < Status::Missing && Status::Pending < Status::Pass);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// 未达标: the target was missed.
    Fail,
    /// error: the data makes the rule undefined.
    Error,
    /// 缺数据: a value the rule needs is absent.
    Missing,
    /// 未到期: the deadline is after the as-of year.
    Pending,
    /// 达标: the target is met.
    Pass,
}

impl Status {
    /// All statuses, worst first.
    pub const ALL: [Status; 5] = [
        Status::Fail,
        Status::Error,
        Status::Missing,
        Status::Pending,
        Status::Pass,
    ];

    /// The English name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Pending => "pending",
            Status::Missing => "missing",
            Status::Error => "error",
        }
    }

    /// The Chinese name used in tables.
    pub fn chinese(self) -> &'static str {
        match self {
            Status::Pass => "达标",
            Status::Fail => "未达标",
            Status::Pending => "未到期",
            Status::Missing => "缺数据",
            Status::Error => "错误",
        }
    }

    /// Parses an English or Chinese name.
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.name() == text.trim() || status.chinese() == text.trim())
    }
}
