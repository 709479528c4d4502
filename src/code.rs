//! Every diagnostic code, in one enum: the codes are stable (hosts and
//! scripts match on them), so they are listed here once instead of as
//! string literals where each diagnostic is made. Each variant's comment is
//! the smallest input that triggers it; `tests/codes/` holds that input as
//! a fixture, and a test checks every code is in the README's table and is
//! emitted by its fixture. Adding a code is one line and its comment.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares `Code` with its variants' strings, `as_str` and `ALL`.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $text:literal,)+) => {
        /// A diagnostic's stable code, such as `unknown-indicator`.
        ///
        /// ```
        /// use zhibiao::diag::Code;
        ///
        /// let errors = zhibiao::compile("rule 县域就诊律 >= 90%\n", "a.rules").unwrap_err();
        /// assert_eq!(errors.0[0].code, Code::UnknownIndicator);
        /// assert_eq!(errors.0[0].code.to_string(), "unknown-indicator");
        /// assert!(Code::ALL.iter().any(|code| code.as_str() == "data-bad-year"));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in the order of the README's tables.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as written in diagnostics and JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }
        }
    };
}

codes! {
    /// `rule 县域就诊率 >= 90% bye 2025` (help: did you mean `by`?)
    Syntax = "syntax",
    /// 65 nested `(` in one statement.
    TooDeep = "too-deep",
    /// More than 256 operators (`not not …`, `- - …`) in one statement.
    TooComplex = "too-complex",
    /// A rule file of more than 16 MiB.
    TooLarge = "too-large",
    /// `rule 县域就诊率 >= 1e999%`: a number no float holds.
    NumberOutOfRange = "number-out-of-range",
    /// `indicator 5岁以下儿童死亡率: ‰` (help: write `「5岁以下儿童死亡率」`)
    UnquotedName = "unquoted-name",
    /// `rule 县域就诊律 >= 90%` (help: did you mean `县域就诊率`?)
    UnknownIndicator = "unknown-indicator",
    /// `rule 床位数 >= 9个以上` (help: did you mean `个`?)
    UnknownUnit = "unknown-unit",
    /// `rule 县域就诊率 >= 床位数`: both operands labelled with their units.
    UnitMismatch = "unit-mismatch",
    /// `rule 县域就诊率 >= 0.9` (help: write `90%`)
    RatioNeedsUnit = "ratio-needs-unit",
    /// Warning: `rule 床医比 >= 1.8:1` (a ratio whose second term is not 1).
    RatioNotOne = "ratio-not-one",
    /// `rule 床医比 >= 0:1`: a ratio cannot start with 0.
    BadRatio = "bad-ratio",
    /// `rule 等级 >= 二级丁等` with `indicator 等级: grade 二级乙等 < 二级甲等`.
    UnknownGrade = "unknown-grade",
    /// `indicator 等级: grade 甲`: a grade list needs two or more names.
    BadGradeList = "bad-grade-list",
    /// `scope each 乡级` with `tiers 省级 > 县级`.
    UnknownTier = "unknown-tier",
    /// `rule 县域就诊率 >= cagr(床位数, 2025)` (an unknown function is `unknown-function`).
    BadArguments = "bad-arguments",
    /// `rule avg(县域就诊率, 县域就诊率) >= 90%`: an argument of the wrong kind.
    BadArgument = "bad-argument",
    /// `rule mean(下级, 县域就诊率) >= 90%` (help: did you mean `min`?)
    UnknownFunction = "unknown-function",
    /// `rule 县域就诊率`: a value where a condition is needed.
    NotACondition = "not-a-condition",
    /// `rule all(下级, 县域就诊率 >= 90%) >= 1`: a condition used as a number.
    NotAValue = "not-a-value",
    /// `rule share(县域就诊率, 县域就诊率 >= 90%) >= 50%`: a value where a set is needed.
    NotASet = "not-a-set",
    /// `rule 县域就诊率 @ 床位数 >= 90%`: an indicator after `@`.
    NotAnEntity = "not-an-entity",
    /// `rule 类型 > "医院"`: text compared by order.
    BadOperator = "bad-operator",
    /// A policy sentence naming no declared indicator.
    SentenceNoIndicator = "sentence-no-indicator",
    /// A policy sentence naming an indicator but no target for it.
    SentenceNoTarget = "sentence-no-target",
    /// A policy sentence whose target can be read more than one way.
    SentenceAmbiguous = "sentence-ambiguous",
    /// A policy sentence comparing with a base year that neither it nor the document gives.
    SentenceNeedsPeriod = "sentence-needs-period",
    /// `rule rank(同级, 床位数) <= 3` when `床位数` has no `better lower` or `better higher`.
    NeedsDirection = "needs-direction",
    /// Warning: `rule 婴儿死亡率 >= 5‰` with `婴儿死亡率` declared `better lower`.
    DirectionConflict = "direction-conflict",
    /// `benchmark X = 婴儿死亡率`: a benchmark is a constant.
    BadBenchmark = "bad-benchmark",
    /// A rule naming groups of different sizes.
    BadGroup = "bad-group",
    /// `rule 县域就诊率 between 95% and 90%`: the low end comes first.
    BadRange = "bad-range",
    /// `rule 县域就诊率 >= 90% from 2025 to 2023`.
    YearOrder = "year-order",
    /// `rule 县域就诊率 >= 90% by 25000`.
    BadYear = "bad-year",
    /// `document 甲 { issued 2024-13-01 }`.
    BadDate = "bad-date",
    /// `rule 县域就诊率 >= 90% by 2025 in 2024`.
    ConflictingClauses = "conflicting-clauses",
    /// `rule 县域就诊率 >= 90% by 2025 by 2026`.
    DuplicateClause = "duplicate-clause",
    /// An indicator declared twice.
    DuplicateDeclaration = "duplicate-declaration",
    /// Two rules with the same name.
    DuplicateRule = "duplicate-rule",
    /// Two `document` blocks in one file.
    DuplicateDocument = "duplicate-document",
    /// `indicator 下级: 个`: a name reserved for a relative set.
    ReservedName = "reserved-name",
    /// A `「…」` name holding a control character such as NUL.
    BadName = "bad-name",
    /// `rule 床位数 rises each year` with no years and no document period.
    TrendNeedsYears = "trend-needs-years",
    /// Warning: `rule 县域就诊率 @ 2019 rises each year from 2020 to 2024`: the same value every year.
    TrendFixedYear = "trend-fixed-year",
    /// `rule 县域就诊率 rises by >= 县域就诊率 each year from 2020 to 2025`: a step that is not a number.
    BadStep = "bad-step",
    /// `rule 县域就诊率 ≈ 60% ± 县域就诊率`: a tolerance that is not a number.
    BadTolerance = "bad-tolerance",
    /// `scope each 下级`: a scope relative to an entity, with none to be relative to.
    RelativeScope = "relative-scope",
    /// `import "absent.rules"`.
    ImportNotFound = "import-not-found",
    /// `import "x.rules"` given to `zhibiao::compile`, which reads no file.
    ImportNotAllowed = "import-not-allowed",
    /// `a.rules` imports `b.rules`, which imports `a.rules`.
    ImportCycle = "import-cycle",
    /// A rule file or directory given that does not exist.
    FileNotFound = "file-not-found",
    /// A directory given that holds no `*.rules` file.
    NoRuleFiles = "no-rule-files",
    /// A rule file that is not UTF-8 text.
    UnreadableFile = "unreadable-file",
    /// A data path that cannot be read (or a file over 4 GiB).
    DataRead = "data-read",
    /// Data bytes that are neither UTF-8 nor GBK, or not the forced encoding.
    DataEncoding = "data-encoding",
    /// An empty data file, or one with blank lines only.
    DataEmpty = "data-empty",
    /// `地区,指标,值` (no `年份`).
    DataMissingColumn = "data-missing-column",
    /// `地区,年份,年份,值`.
    DataDuplicateColumn = "data-duplicate-column",
    /// `地区,年份,,x` with a value under the empty header.
    DataUnnamedColumn = "data-unnamed-column",
    /// `地区,年份,单位,床位数` (a `单位` column in a wide file).
    DataMisplacedColumn = "data-misplaced-column",
    /// A row with more or fewer fields than the header.
    DataRaggedRow = "data-ragged-row",
    /// `甲,"2024,x,1` (a quote never closed).
    DataBadQuote = "data-bad-quote",
    /// `,2024,床位数,5` (a row without its region or indicator).
    DataEmptyName = "data-empty-name",
    /// `甲,24年,床位数,5`.
    DataBadYear = "data-bad-year",
    /// `甲,2024,床位数,1.2.3` or `>90`.
    DataBadNumber = "data-bad-number",
    /// `甲,2024,床位数,5床位`.
    DataUnknownUnit = "data-unknown-unit",
    /// Header `床位数(张)` with the cell `5%`.
    DataUnitMismatch = "data-unit-mismatch",
    /// More than 254 distinct units in the loaded files.
    DataTooManyUnits = "data-too-many-units",
    /// The same entity, year and indicator with two different values.
    DataDuplicate = "data-duplicate",
    /// One entity given the parents `甲` and `乙`.
    DataConflictingParent = "data-conflicting-parent",
    /// One entity given the `类型` values `A` and `B`.
    DataConflictingAttribute = "data-conflicting-attribute",
    /// `甲` under `乙` and `乙` under `甲`.
    DataCycle = "data-cycle",
    /// A region or indicator name holding a control character such as NUL.
    DataBadName = "data-bad-name",
    /// Warning: a parent named but never given rows.
    DataParentCreated = "data-parent-created",
    /// Warning: `全国,2021,x,5,新华社(妇幼,2021)` under `地区,年份,指标,值,来源`.
    DataUnquotedComma = "data-unquoted-comma",
    /// Warning: a ratio cell `2:1.1` (read as 0.55 per 1).
    DataRatioFirstTerm = "data-ratio-first-term",
    /// Warning: an indicator with both numbers and text.
    DataMixedCells = "data-mixed-cells",
    /// Warning: `0.915` among `91.5` in a `%` column (about 100× from the median).
    DataScale = "data-scale",
    /// Warning: a title row above the header, skipped (not said with `--header-row N`).
    DataHeaderRow = "data-header-row",
    /// A CSV field longer than 64 KiB.
    DataFieldTooLong = "data-field-too-long",
    /// `--data book.xlsx#无此表`: a sheet the workbook does not have.
    DataUnknownSheet = "data-unknown-sheet",
    /// A `.xlsx` file that is not a workbook.
    DataWorkbook = "data-workbook",
    /// Warning after a check (error with `--strict`): a rule reads an indicator no data file has.
    CoverageAbsentIndicator = "coverage-absent-indicator",
    /// Warning after a check: a data indicator no rule file declares (`县域就珍率`).
    CoverageUnreadIndicator = "coverage-unread-indicator",
    /// Warning after a check: an entity in a rule's scope with no rows of its own.
    CoverageEntityWithoutRows = "coverage-entity-without-rows",
    /// More than 200 diagnostics in one file: the rest are counted.
    TooManyDiagnostics = "too-many-diagnostics",
    /// `zhibiao sql` on `rule progress(县域就诊率, 90%, 2025) >= 0.95`.
    SqlUnsupported = "sql-unsupported",
    /// `zhibiao draft 文件.pdf`: a document format draft does not read.
    DraftFormat = "draft-format",
    /// `zhibiao draft a.txt` on bytes that are neither UTF-8 nor GBK, or hold NUL.
    DraftEncoding = "draft-encoding",
    /// `zhibiao draft a.txt` on a file of white space only.
    DraftEmpty = "draft-empty",
    /// `zhibiao draft` on a document past 16 MiB, or a `.docx` inflating past 32 MiB.
    DraftTooLarge = "draft-too-large",
    /// `zhibiao draft a.docx` on a file that is not a zip holding `word/document.xml`.
    DraftDocx = "draft-docx",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let text = String::deserialize(deserializer)?;
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a diagnostic code")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_read_back() {
        for (i, code) in Code::ALL.iter().enumerate() {
            assert!(!Code::ALL[..i].iter().any(|c| c.as_str() == code.as_str()));
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), *code);
        }
        assert!(serde_json::from_str::<Code>("\"no-such-code\"").is_err());
    }
}
