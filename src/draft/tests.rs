//! The readings of the drafter, one line per case: a document's text and
//! the targets its draft holds as (indicator, comparator, value, year).
//! The sentences are written for these tests, not taken from the seeds in
//! `rules/sources/`, so each reading is checked as a general one.

use super::draft;

/// The targets of the draft of `text`, read as a `.txt` named `name`.
fn targets(name: &str, text: &str) -> Vec<(String, String, String, Option<i64>)> {
    let drafted = draft(name, text.as_bytes()).expect("a draft");
    let json: serde_json::Value = serde_json::from_str(&drafted.json).expect("JSON");
    json["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|target| {
            (
                target["indicator"].as_str().unwrap_or_default().to_string(),
                target["comparator"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                target["value"].as_str().unwrap_or_default().to_string(),
                target["year"].as_i64(),
            )
        })
        .collect()
}

/// `drafts! { name, "text", [("indicator", "comparator", "value", year)…] }`
macro_rules! drafts {
    ($($test:ident, $text:expr, [$(($indicator:expr, $comparator:expr, $value:expr, $year:expr)),* $(,)?];)*) => {
        $(
            #[test]
            fn $test() {
                let expected: Vec<(String, String, String, Option<i64>)> = vec![
                    $(($indicator.to_string(), $comparator.to_string(), $value.to_string(), $year)),*
                ];
                assert_eq!(targets("plan.txt", $text), expected);
            }
        )*
    };
}

drafts! {
    // 约 and 达 inside a noun are no target words; 达 before a figure is.
    one_character_words_inside_a_noun,
    "到2026年，老年人签约率达75%以上，乡镇卫生院达标率达到95%。",
    [("老年人签约率", ">=", "75%", Some(2026)), ("乡镇卫生院达标率", ">=", "95%", Some(2026))];

    // 人均 is part of the name, not 均 (all of them).
    per_head_is_a_name,
    "到2026年，人均体育场地面积达到2.8平方米。",
    [("人均体育场地面积", ">=", "2.8平方米", Some(2026))];

    // A count with its bound before the noun it counts.
    a_count_before_its_noun,
    "到2026年，每个县建成3家以上社区医院。",
    [("社区医院", ">=", "3家", Some(2026))];

    // The hour of a date is no figure.
    the_hour_of_a_date,
    "2026年03月15日09:30发布。",
    [];

    // Quoted terms lose their marks; a quoted slogan with a count keeps
    // them and is read as nothing.
    quoted_terms_and_slogans,
    "到2026年，新建2个“智慧药房”，落实“三个一”工作机制。",
    [("智慧药房", ">=", "2个", Some(2026))];

    // 两项制度: a number of kinds qualifies the noun.
    kinds_qualify_a_noun,
    "到2026年，落实陪护管理两项制度。",
    [];

    // A grade named after a verb of reaching, its short form written out.
    a_grade_is_the_value,
    "到2026年，县中医医院达到三甲水平，市急救中心信息平台达到4级甲等。",
    [("县中医医院", ">=", "三级甲等", Some(2026)), ("市急救中心信息平台", ">=", "四级甲等", Some(2026))];

    // 争创 an institution: at least one, expected.
    striving_for_an_institution,
    "到2026年，争创省级创伤救治中心。",
    [("省级创伤救治中心", ">=", "1个", Some(2026))];

    // A measure after a verb of doing better is an aim with a direction;
    // a vague level is not.
    a_measure_after_a_verb,
    "到2026年，提升患者就医满意度，提高服务水平。",
    [("患者就医满意度", "rises", "", Some(2026))];

    // A quality no figure measures, a project's name: no targets.
    vague_aims_and_projects,
    "到2026年，提高急诊救治效率，实施护理服务质量提升工程，社区卫生服务质量持续提升。",
    [];

    // A comparison with another region names no figure the draft can read.
    comparison_with_a_region,
    "到2026年，全县婴儿死亡率低于全省平均水平。",
    [];

    // A preposition opens no indicator.
    a_preposition_opens_no_name,
    "到2026年，以家庭医生签约为抓手全面建成服务网络。",
    [];

    // Items of a list with figures of their own are targets of their own.
    items_with_their_own_figures,
    "到2026年，建成示范病房20间以上、示范药房8个。",
    [("示范病房", ">=", "20间", Some(2026)), ("示范药房", ">=", "8个", Some(2026))];

    // 千人 at the start of a name is the base of a rate per thousand.
    per_thousand_without_mei,
    "到2026年，千人护士数达到3.8人。",
    [("千人护士数", ">=", "3.8", Some(2026))];

    // 分别 over a list whose items share the base per head the first names
    // and the measure the last names.
    respectively_with_a_shared_base,
    "到2026年，每千人口护士和药师数分别达到3.5人、0.6人。",
    [("每千人口护士", ">=", "3.5", Some(2026)), ("每千人口药师数", ">=", "0.6", Some(2026))];

    // An item that is only a measure takes the words of the item before.
    a_measure_item_takes_the_stem,
    "到2026年，转诊患者人数及占比逐步上升。",
    [("转诊患者人数", "rises", "", Some(2026)), ("转诊患者占比", "rises", "", Some(2026))];

    // A trend over a list: the items that name a measure.
    a_trend_list_keeps_its_measures,
    "到2026年，日间手术占比、四级手术占比、学科建设能力逐年提升。",
    [("日间手术占比", "rises", "", Some(2026)), ("四级手术占比", "rises", "", Some(2026))];

    // Staffing per head written as people per base.
    staffing_per_head,
    "到2026年，每万名居民有5名儿科医生。",
    [("每万人口儿科医生数", ">=", "5", Some(2026))];

    // A sign in brackets belongs to the name.
    a_bracketed_sign_is_a_name,
    "到2026年，逐年提升重症病例(评分≥3)占比。",
    [("重症病例(评分≥3)占比", "rises", "", Some(2026))];

    // Each of a scope has the count: what is counted is after the figure.
    each_of_a_scope,
    "到2026年，每个街道办好1所社区医院。",
    [("社区医院", ">=", "1所", Some(2026))];

    // A comma inside the noun a count comes before.
    a_noun_cut_by_a_comma,
    "到2026年，每个县至少建成1个网格化管理，医防融合的紧密型县域医共体。",
    [("网格化管理医防融合的紧密型县域医共体", ">=", "1个", Some(2026))];

    // After a count a preposition opens what is counted.
    a_preposition_after_a_count,
    "到2026年，建成2家针对失能老人的照护中心。",
    [("针对失能老人的照护中心", ">=", "2家", Some(2026))];

    // A number alone in quotes is the number; a letter for one is not.
    quoted_numbers_and_placeholders,
    "到2026年，搭建“1”个区域影像平台，打造“N”个全覆盖的应用场景。",
    [("区域影像平台", ">=", "1个", Some(2026))];

    // A quoted span of time names a circle, not a slogan.
    a_quoted_circle_is_a_name,
    "到2026年，实现“10分钟急救圈”乡镇全覆盖。",
    [("10分钟急救圈乡镇", ">=", "100%", Some(2026))];

    // Keeping the titles won: each title held.
    titles_kept,
    "到2026年，巩固国家园林城市、省级卫生县(区)创建成果。",
    [("国家园林城市称号", ">=", "已获得", Some(2026)), ("省级卫生县称号", ">=", "已获得", Some(2026))];

    // A lost comma after a share reached.
    a_lost_comma_after_a_share,
    "到2026年，健康档案建档率达到90%慢性病患者规范管理率达到70%以上。",
    [("健康档案建档率", ">=", "90%", Some(2026)), ("慢性病患者规范管理率", ">=", "70%", Some(2026))];

    // Two figures run together after a list: one for each item in order.
    figures_run_together,
    "到2026年，集采药品品种和中药饮片种类增至300个40类。",
    [("集采药品品种", ">=", "300个", Some(2026)), ("中药饮片种类", ">=", "40类", Some(2026))];

    // Levels sharing 级 and the rest of the name, figures sharing a unit.
    levels_and_figures_in_order,
    "到2026年，省、市级医院人均培训经费平均达到5、3万元以上。",
    [("省级医院人均培训经费", ">=", "5万元", Some(2026)), ("市级医院人均培训经费", ">=", "3万元", Some(2026))];

    // The share of each item in each whole.
    shares_of_items_in_wholes,
    "到2026年，逐步提高门诊服务和家庭医生提供的服务在服务总量和基金支出中的占比。",
    [
        ("门诊服务占服务总量比例", "rises", "", Some(2026)),
        ("门诊服务占基金支出比例", "rises", "", Some(2026)),
        ("家庭医生提供的服务占服务总量比例", "rises", "", Some(2026)),
        ("家庭医生提供的服务占基金支出比例", "rises", "", Some(2026)),
    ];

    // A figure after a word of means is what the work relies on.
    a_figure_of_means_is_no_target,
    "到2026年，依托2家市级医院建设区域医疗中心。",
    [];

    // 全面 before setting up a system: each system, everywhere.
    systems_set_up_everywhere,
    "到2026年，全面建立急救转运衔接机制和院前院内信息共享制度，全面推行家庭病床服务制。",
    [
        ("急救转运衔接机制", ">=", "100%", Some(2026)),
        ("院前院内信息共享制度", ">=", "100%", Some(2026)),
        ("家庭病床服务制", ">=", "100%", Some(2026)),
    ];

    // 全面落实, 全面提升: adverbs of effort, no target.
    wholly_carried_out_is_effort,
    "到2026年，全面落实分级诊疗制度，全面提升基层服务能力。",
    [];

    // Every institution of a class sets something up: the share that do.
    a_class_of_institutions_sets_up,
    "到2026年，三级以上公立医院要按规定设立患者服务中心。",
    [("三级以上公立医院设立患者服务中心比例", ">=", "100%", Some(2026))];

    // With 全部 any class is all of it; a figure in the object is a target
    // of its own, not this reading.
    all_of_a_class_sets_up,
    "到2026年，服务人口万人以上的社区全部设置健康小屋，二级以上医院设立营养科达80%以上，距县城30公里以上的乡镇卫生院均开设中医馆。",
    [
        ("服务人口万人以上的社区设置健康小屋比例", ">=", "100%", Some(2026)),
        ("二级以上医院设立营养科", ">=", "80%", Some(2026)),
        ("距县城30公里以上的乡镇卫生院开设中医馆比例", ">=", "100%", Some(2026)),
    ];

    // 适度, 适当: a direction without a yearly step; 扩大 a scale, 精简 a share.
    moderate_changes_have_a_direction,
    "到2026年，门诊药事服务费占比适度提高，适当扩大护理专业招生规模，精简行政后勤人员占比。",
    [
        ("门诊药事服务费占比", "rises", "", Some(2026)),
        ("护理专业招生规模", "rises", "", Some(2026)),
        ("行政后勤人员占比", "falls", "", Some(2026)),
    ];

    // An amount and a standard of payment are measures.
    amounts_and_standards_measure,
    "到2026年，科技成果转化金额明显提升，稳步提高居民医保缴费标准。",
    [
        ("科技成果转化金额", "rises", "", Some(2026)),
        ("居民医保缴费标准", "rises", "", Some(2026)),
    ];

    // Each institution of a class carrying out a system: all of them; a
    // place carrying out a policy is no share.
    each_institution_carries_out_a_system,
    "到2026年，各社区卫生服务机构全面落实家庭医生签约服务制度，各地落实医保支付制度。",
    [("社区卫生服务机构落实家庭医生签约服务制度比例", ">=", "100%", Some(2026))];

    // A number of aspects of a state is no count.
    aspects_of_a_state_are_no_count,
    "到2026年，推动二级公立医院人事、财务、后勤工作实现“机构、制度、人员”三个到位。",
    [];

    // A level of an assessment reached, on the scale 0级 to 8级.
    a_level_reached,
    "到2026年，县级公立医院电子病历系统应用水平分级评价达到5级水平。",
    [("县级公立医院电子病历系统应用水平分级评价", ">=", "「5级」", Some(2026))];

    // Shares a bracket lists in the passive, each of the people it is of,
    // after the sentence's time.
    shares_listed_in_brackets,
    "到2030年，实现三个“90%”目标(90%的患者被诊断、被诊断的患者中90%接受规范治疗、治疗的患者中90%病情得到控制)。",
    [
        ("患者诊断比例", ">=", "90%", Some(2030)),
        ("被诊断的患者接受规范治疗比例", ">=", "90%", Some(2030)),
        ("治疗的患者病情得到控制比例", ">=", "90%", Some(2030)),
    ];

    // A service covering a kind of place: all of them.
    a_service_covers_places,
    "到2026年，家庭医生签约服务覆盖行政村，构建覆盖城乡的健康服务网络。",
    [("行政村家庭医生签约服务覆盖率", ">=", "100%", Some(2026))];

    // The total of resources is a vague aim.
    resources_in_total_are_vague,
    "到2026年，促进卫生资源总量扩大。",
    [];

    // A share of a noun its items share is no list of targets.
    a_share_shared_by_items,
    "到2026年，80%二级医院门诊电子病历达到4级以上、检验结果互认3级以上。",
    [];
}

#[test]
fn yearly_trends_of_a_years_plan_run_from_the_year_before() {
    let text = "2026年卫生健康工作要点\n\n（一）持续提升孕产妇系统管理率。";
    let drafted = draft("要点.txt", text.as_bytes()).expect("a draft");
    assert!(
        drafted
            .rules
            .contains("rule 持续提升孕产妇系统管理率  from 2025 to 2026"),
        "{}",
        drafted.rules
    );
    assert_eq!(
        targets("要点.txt", text),
        [(
            "孕产妇系统管理率".to_string(),
            "rises".to_string(),
            String::new(),
            Some(2026)
        )]
    );
}

#[test]
fn a_grade_is_declared_on_its_scale() {
    let drafted = draft("plan.txt", "县妇幼保健院达到二级甲等标准。".as_bytes()).expect("a draft");
    assert!(
        drafted.rules.contains(
            "indicator 县妇幼保健院: grade 一级 < 二级乙等 < 二级甲等 < 三级乙等 < 三级甲等"
        ),
        "{}",
        drafted.rules
    );
}
