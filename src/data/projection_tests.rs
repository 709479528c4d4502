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
