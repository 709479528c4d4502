//! The projected load against the general one on every data file of the
//! repository: with every indicator kept it must be the same load, and
//! with one kept the same everything but the other indicators' values.

use std::path::{Path, PathBuf};

use super::stream::{self, Streaming};
use super::*;
use crate::diag::{Code, Diagnostic};

fn csv_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "csv") {
                found.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    walk(&root.join("tests"), &mut found);
    walk(&root.join("examples"), &mut found);
    found.sort();
    found
}

type Loaded = Result<(Dataset, Vec<Diagnostic>), crate::diag::Diagnostics>;

fn load(path: &Path, projection: Option<Projection>) -> Loaded {
    let mut loader = Loader::new(LoadOptions {
        projection,
        ..LoadOptions::default()
    });
    loader.add_path(path);
    loader.finish()
}

fn diagnostics(loaded: &Loaded) -> Vec<String> {
    let list = match loaded {
        Ok((_, warnings)) => warnings,
        Err(errors) => &errors.0,
    };
    list.iter()
        .map(|diagnostic| {
            let labels: Vec<_> = diagnostic.labels.iter().map(|label| &label.span).collect();
            format!(
                "{} {} {labels:?}",
                diagnostic.code.as_str(),
                diagnostic.message
            )
        })
        .collect()
}

/// The diagnostics about values, which a projection does not give for
/// the indicators it skips.
const ABOUT_VALUES: [Code; 8] = [
    Code::DataBadNumber,
    Code::DataUnknownUnit,
    Code::DataUnitMismatch,
    Code::DataDuplicate,
    Code::DataMixedCells,
    Code::DataScale,
    Code::DataRatioFirstTerm,
    Code::DataTooManyUnits,
];

/// Every indicator named in a file, from a load keeping no values.
fn names(path: &Path) -> Vec<String> {
    let staging_names = |loaded: Loaded| match loaded {
        Ok((data, _)) => data.indicator_names().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    };
    staging_names(load(path, Some(Projection::new([]))))
}

#[test]
fn every_indicator_kept_is_the_general_load() {
    let files = csv_files();
    assert!(files.len() > 20, "found only {} data files", files.len());
    for path in &files {
        let general = load(path, None);
        let mut all: Vec<String> = names(path);
        if let Ok((data, _)) = &general {
            all.extend(data.indicator_names().map(str::to_string));
        }
        let projected = load(path, Some(Projection::new(all.iter().map(String::as_str))));
        assert_eq!(
            format!("{projected:?}"),
            format!("{general:?}"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn one_indicator_kept_keeps_its_values_and_everything_else_but_values() {
    let mut compared = 0;
    for path in csv_files() {
        let general = load(&path, None);
        let Some(first) = names(&path).into_iter().next() else {
            continue;
        };
        let projected = load(&path, Some(Projection::new([first.as_str()])));
        let given = diagnostics(&general);
        for diagnostic in diagnostics(&projected) {
            assert!(
                given.contains(&diagnostic),
                "{}: {diagnostic}",
                path.display()
            );
        }
        let projected_codes = diagnostics(&projected);
        let general_list = match &general {
            Ok((_, warnings)) => warnings.clone(),
            Err(errors) => errors.0.clone(),
        };
        for (diagnostic, text) in general_list.iter().zip(&given) {
            if !ABOUT_VALUES.contains(&diagnostic.code) {
                assert!(
                    projected_codes.contains(text),
                    "{}: lost {text}",
                    path.display()
                );
            }
        }
        let (Ok((general, _)), Ok((projected, _))) = (&general, &projected) else {
            assert!(
                general.is_err(),
                "{}: only the projection fails",
                path.display()
            );
            continue;
        };
        compared += 1;
        let kept = projected.find_indicator(&first).expect("kept indicator");
        assert_eq!(general.find_indicator(&first), Some(kept));
        assert_eq!(
            format!("{:?}", general.columns[kept.0 as usize]),
            format!("{:?}", projected.columns[kept.0 as usize]),
            "{}",
            path.display()
        );
        assert_eq!(
            general.indicator_names().collect::<Vec<_>>(),
            projected.indicator_names().collect::<Vec<_>>()
        );
        assert_eq!(
            format!("{:?}", general.tree),
            format!("{:?}", projected.tree)
        );
        assert_eq!(general.entities, projected.entities);
        assert_eq!(general.years.list, projected.years.list);
        // String ids differ (text cells of skipped indicators are not
        // interned): the values are compared.
        let attributes = |data: &Dataset| -> Vec<Option<String>> {
            (0..data.attributes.len() as u32)
                .flat_map(|attribute| {
                    (0..data.entity_count() as u32).map(move |entity| {
                        data.attribute(AttributeId(attribute), EntityId(entity))
                            .map(str::to_string)
                    })
                })
                .collect()
        };
        assert_eq!(attributes(general), attributes(projected));
        assert_eq!(general.missing_markers, projected.missing_markers);
        assert_eq!(general.entity_rows, projected.entity_rows);
        assert_eq!(general.indicator_first, projected.indicator_first);
    }
    assert!(compared > 10, "only {compared} files loaded");
}

/// A file read whole from its bytes, with or without the fast path of
/// projected long files: the general way.
fn load_whole(path: &Path, projection: Option<Projection>, fast: bool) -> Loaded {
    let bytes = std::fs::read(path).expect("a test file reads");
    let mut loader = Loader::new(LoadOptions {
        projection,
        ..LoadOptions::default()
    })
    .with_streaming(Streaming {
        fast,
        ..Streaming::default()
    });
    loader.add_bytes(&path.display().to_string(), &bytes);
    loader.finish()
}

/// The projections every file is read with: none, no indicator, the first.
fn projections(path: &Path) -> Vec<Option<Projection>> {
    let mut projections = vec![None, Some(Projection::new([]))];
    if let Some(first) = names(path).first() {
        projections.push(Some(Projection::new([first.as_str()])));
    }
    projections
}

#[test]
fn the_fast_path_reads_as_the_general_one() {
    for path in csv_files() {
        for projection in projections(&path) {
            let general = load_whole(&path, projection.clone(), false);
            let fast = load_whole(&path, projection, true);
            assert_eq!(
                format!("{fast:?}"),
                format!("{general:?}"),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn a_file_streamed_in_any_chunks_reads_as_read_whole() {
    let mut streamed = 0;
    let files = csv_files();
    for path in &files {
        let path = path.as_path();
        let mut read_in_chunks = false;
        for projection in projections(path) {
            let whole = format!("{:?}", load_whole(path, projection.clone(), false));
            let sizes = [1, 2, 3, 7, 16, 100, 4096, stream::CHUNK];
            for (chunk, threaded) in sizes
                .into_iter()
                .flat_map(|size| [(size, false), (size, true)])
            {
                let streaming = Streaming {
                    chunk,
                    threaded,
                    fast: true,
                };
                let mut loader = Loader::new(LoadOptions {
                    projection: projection.clone(),
                    ..LoadOptions::default()
                })
                .with_streaming(streaming);
                loader.add_path(path);
                read_in_chunks |= loader.streamed_count() > 0;
                assert_eq!(
                    format!("{:?}", loader.finish()),
                    whole,
                    "{} in chunks of {chunk} bytes, {}",
                    path.display(),
                    if threaded {
                        "two threads"
                    } else {
                        "one thread"
                    }
                );
            }
        }
        streamed += usize::from(read_in_chunks);
    }
    // Files with a problem are read whole: the others (55 of 74 now) are
    // streamed.
    assert!(
        streamed > 40,
        "only {streamed} of {} files streamed",
        files.len()
    );
}

/// Texts at the edges of the fast path and of chunks: line endings, quotes
/// over lines, title rows, blank cells, a value given twice, a byte of GBK
/// after the first chunk.
const EDGES: [&[u8]; 10] = [
    "地区,上级,年份,指标,值\r\n甲,,2024,床位数,5\r\n甲,,2024,医师数,3\r\n甲,,2025,医师数,-\r\n乙,甲,2024,医师数,\r\n乙,甲,2024年,医师数,4\r\n乙,丙,2025,医师数,4\r\n".as_bytes(),
    "地区,年份,指标,值,备注\n甲,2024,x,1,\"a\nb\"\n甲,2025,x,2,\"c,\"\"d\"\"\"\n甲,2026,y,3,e\n甲,2027,x,4,\"f\ng\"\n".as_bytes(),
    "地区,年份,指标,值\r甲,2024,x,1\r甲,2025,y,2\r甲,2026,y,3\r".as_bytes(),
    "\u{feff}地区,年份,指标,值\n甲,2024,x,1\n甲,2025,x,2\n甲,2025,y,2".as_bytes(),
    "表1\n\n地区,年份,卫生,\n,,床位数(张),医师数\n甲,2024,5,1\n乙,2024,6,2\n".as_bytes(),
    "地区,年份,指标,值\n甲,2024,\"x,1\n甲,2025,x,2\n甲,2026,x,3\n".as_bytes(),
    "地区,年份,指标,值\n\n甲 ,2024, x ,1\n甲,2024,　,2\n甲,2025,x,NA\n甲,2025,y,暂无\n".as_bytes(),
    "地区,年份,指标,值,\n甲,2024,x,1,\n甲,2025,x,2,z\n甲,2026,x,2,w\n".as_bytes(),
    b"entity,year,indicator,value\nA,2024,x,1\nA,2025,x,2\nA,2025,\xb4\xb2,2\n",
    "地区,上级,类型,年份,指标,值\n甲,,A,2024,x,1\n甲,,A,2024,y,2\n甲,,A,2025,y,3\n乙,甲,B,2024,y,1\n乙,甲,C,2025,y,1\n乙,甲,C,2025,y,2\n".as_bytes(),
];

/// The text with its rows after the first line given four more times: the
/// fast path starts after the rows the header is looked for among.
fn lengthened(bytes: &[u8]) -> Vec<u8> {
    let body = bytes
        .iter()
        .position(|&byte| byte == b'\n' || byte == b'\r')
        .map_or(&[][..], |at| &bytes[at + 1..]);
    let mut text = bytes.to_vec();
    for _ in 0..4 {
        if !text.ends_with(b"\n") && !text.ends_with(b"\r") {
            text.push(b'\n');
        }
        text.extend_from_slice(body);
    }
    text
}

#[test]
fn edge_texts_read_alike_every_way() {
    let dir = std::env::temp_dir().join(format!("zhibiao-edges-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    // A parent, an attribute and an unnamed cell that change only after
    // the first rows, where the fast path reads.
    let mut late = String::from("地区,上级,类型,年份,指标,值,\n");
    for year in 2000..2012 {
        late.push_str(&format!("甲,省,A,{year},y,1,\n"));
    }
    late.push_str("甲,市,A,2030,y,1,\n甲,省,B,2031,y,1,\n甲,省,,2032,y,1,z\n甲,省,A,2033,y,1,\n");
    let edges = EDGES.iter().map(|bytes| lengthened(bytes));
    for (at, bytes) in edges.chain([late.into_bytes()]).enumerate() {
        let path = dir.join(format!("edge{at}.csv"));
        std::fs::write(&path, bytes).expect("a temporary file");
        for projection in [
            None,
            Some(Projection::new([])),
            Some(Projection::new(["x", "床位数"])),
        ] {
            let general = format!("{:?}", load_whole(&path, projection.clone(), false));
            let fast = format!("{:?}", load_whole(&path, projection.clone(), true));
            assert_eq!(fast, general, "edge {at}, fast path");
            for chunk in [1, 2, 5, 9, 64] {
                for threaded in [false, true] {
                    let mut loader = Loader::new(LoadOptions {
                        projection: projection.clone(),
                        ..LoadOptions::default()
                    })
                    .with_streaming(Streaming {
                        chunk,
                        threaded,
                        fast: true,
                    });
                    loader.add_path(&path);
                    assert_eq!(
                        format!("{:?}", loader.finish()),
                        general,
                        "edge {at} in chunks of {chunk}, threaded {threaded}"
                    );
                }
            }
        }
    }
    // A clean file, then files read again whole after a problem (or GBK):
    // the first file's values stay, the others' come once.
    let paths: Vec<PathBuf> = [10, 0, 8, 1]
        .iter()
        .map(|at| dir.join(format!("edge{at}.csv")))
        .collect();
    let mut whole = Loader::new(LoadOptions::default());
    for path in &paths {
        whole.add_bytes(&path.display().to_string(), &std::fs::read(path).unwrap());
    }
    let whole = format!("{:?}", whole.finish());
    for chunk in [3, 64] {
        let mut streamed = Loader::new(LoadOptions::default()).with_streaming(Streaming {
            chunk,
            ..Streaming::default()
        });
        for path in &paths {
            streamed.add_path(path);
        }
        assert_eq!(streamed.streamed_count(), 1, "only the first file streams");
        assert_eq!(
            format!("{:?}", streamed.finish()),
            whole,
            "chunks of {chunk}"
        );
    }
    std::fs::remove_dir_all(&dir).expect("the temporary directory removed");
}
