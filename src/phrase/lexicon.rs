//! What each word of the sentence grammar's `p_word` means. The legal
//! reading: 以上/以下/以内/不少于/不超过 include the bound, 超过/低于/不足/
//! 少于 exclude it.

use crate::syntax::ast::{CmpOp, Direction};

/// How strongly a trend word binds the years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// 逐年提升, 稳步下降, 持续提高: strictly, year on year.
    EachYear,
    /// 只增不减, 只减不增: never the other way.
    Never,
    /// 逐步提高, 明显提升, 有所降低: better at the deadline than at the
    /// base year, with no yearly step named.
    Overall,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// A bound before the number (不少于 9个) or after it (90%以上).
    Bound {
        op: CmpOp,
        after: bool,
    },
    /// 左右 after the number, 约 before it.
    Approx,
    /// 达到, 提高到 (at least), 下降到, 控制在 (at most).
    Reach(Direction),
    /// 保持, 稳定在, 持续 (清零): every year up to the deadline.
    Hold,
    Trend(Direction, Strength),
    /// 每年, 年均 with a level: every year.
    Yearly,
    /// 每年降低 X个百分点: the step between consecutive years.
    Step(Direction),
    /// 年均增速 X%: compound annual growth.
    Cagr,
    /// 提高, 下降 with a number and no 到: a change against a base year.
    Change(Direction),
    /// 力争, 争取: an expected target.
    Hedge,
    /// 分别: pair values with names or years in order.
    Respectively,
    /// 全覆盖, 全部, 均: 100%.
    All,
    /// 清零, 零报告: 0.
    Zero,
    /// 较, 比, 在, 从: a base year follows.
    Base,
    /// 到, 至: a deadline (or a target value) follows.
    To,
    /// 前, 以前: the year before it is a deadline.
    Before,
    /// 和, 及, 与: joins a list.
    And,
    /// Verbs of doing and other words with no bearing on the target.
    Filler,
}

pub fn meaning(word: &str) -> Meaning {
    use Direction::{Falls, Rises};
    use Meaning::*;
    use Strength::{EachYear, Never, Overall};
    match word {
        "不少于" | "不低于" | "不小于" | "至少" => Bound {
            op: CmpOp::Ge,
            after: false,
        },
        "不超过" | "不高于" | "不多于" | "不大于" | "最多" => Bound {
            op: CmpOp::Le,
            after: false,
        },
        "超过" | "大于" | "高于" | "多于" => Bound {
            op: CmpOp::Gt,
            after: false,
        },
        "低于" | "小于" | "少于" | "不足" => Bound {
            op: CmpOp::Lt,
            after: false,
        },
        "及以上" | "（含）以上" | "(含)以上" | "以上" => Bound {
            op: CmpOp::Ge,
            after: true,
        },
        "以下" | "以内" => Bound {
            op: CmpOp::Le,
            after: true,
        },
        "左右" | "约" => Approx,
        "年均增速" | "年均增长率" | "年均增长" => Cagr,
        "年均提高" | "每年提高" | "每年提升" | "每年增长" | "每年增加" => {
            Step(Rises)
        }
        "年均下降" | "年均降低" | "每年降低" | "每年下降" | "每年减少" => {
            Step(Falls)
        }
        "年均" | "每年" | "逐年" => Yearly,
        "逐年提升" | "逐年提高" | "逐年上升" | "逐年增长" | "逐年增加" | "逐年扩大"
        | "稳步提升" | "稳步提高" | "稳步增长" | "稳步上升" | "持续提升" | "持续提高"
        | "持续增长" | "持续上升" | "有序提升" | "有序增长" | "不断提高" | "不断提升" => {
            Trend(Rises, EachYear)
        }
        "逐年下降" | "逐年降低" | "逐年减少" | "稳步下降" | "稳步降低" | "持续下降"
        | "持续降低" | "持续减少" | "不断下降" | "不断降低" | "不断减少" => {
            Trend(Falls, EachYear)
        }
        "只增不减" => Trend(Rises, Never),
        "只减不增" => Trend(Falls, Never),
        "逐步提高" | "逐步提升" | "逐步上升" | "逐步增长" | "逐步增加" | "逐步扩大"
        | "有所提高" | "有所提升" | "有所上升" | "有所增长" | "明显提升" | "明显提高"
        | "明显增加" | "显著提升" | "显著提高" | "适度提高" | "适度提升" | "适度增加"
        | "适度扩大" | "适当提高" | "适当提升" | "适当增加" | "适当扩大" => {
            Trend(Rises, Overall)
        }
        "逐步下降" | "逐步降低" | "逐步减少" | "有所下降" | "有所降低" | "有所减少"
        | "明显下降" | "明显降低" | "明显减少" | "显著下降" | "显著降低" => {
            Trend(Falls, Overall)
        }
        "提高到" | "提高至" | "提升到" | "提升至" | "增加到" | "增加至" | "增长到" | "增长至"
        | "增至" | "上升到" | "上升至" | "扩大到" | "扩大至" | "达到" | "达" => {
            Reach(Rises)
        }
        "下降到" | "下降至" | "降至" | "降低到" | "降低至" | "减少到" | "减少至" | "控制在"
        | "压缩到" => Reach(Falls),
        "保持在" | "保持" | "稳定在" | "维持在" | "维持" | "持续" | "动态" => Hold,
        "力争" | "争取" | "有望" | "争创" => Hedge,
        "分别" => Respectively,
        "实现全覆盖" | "全覆盖" | "全部" | "全面" | "均达到" | "均实现" | "均" => {
            All
        }
        "清零" | "零报告" | "零发生" | "不发生" => Zero,
        "较" | "比" | "在" | "从" | "由" | "基础上" => Base,
        "提高" | "提升" | "增长" | "增加" | "上升" | "扩大" => Change(Rises),
        "下降" | "降低" | "减少" | "精简" => Change(Falls),
        "到" | "至" => To,
        "前" | "以前" | "之前" => Before,
        "和" | "及" | "与" => And,
        _ => Filler,
    }
}

/// The comparator a sign stands for: `≥`, `≤`, `>`, `<`.
pub fn sign(text: &str) -> CmpOp {
    match text {
        "≥" | ">=" | "＞＝" => CmpOp::Ge,
        "≤" | "<=" | "＜＝" => CmpOp::Le,
        ">" | "＞" => CmpOp::Gt,
        _ => CmpOp::Lt,
    }
}
