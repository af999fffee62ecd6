//! Related stories: stories by program and by tag, so that a story page scores only the stories
//! sharing something with its story instead of every story.

use super::index::StoryEntry;
use crate::model::Date;
use std::{cmp::Ordering, collections::HashMap, sync::OnceLock};

/// A shared program counts this many times a shared tag.
const PROGRAM_WEIGHT: u32 = 2;

/// The stories holding each program and each tag, by their position in the story list.
#[derive(Debug, Default)]
pub(super) struct RelatedIndex {
    by_program: HashMap<String, Vec<u32>>,
    by_tag: HashMap<String, Vec<u32>>,
    /// Each story's related stories, worked out the first time its page is rendered: they
    /// depend only on the snapshot, and scoring takes longer than rendering the page.
    pages: Vec<OnceLock<Vec<usize>>>,
}

fn days(d: Date) -> i64 {
    i64::from(d.year) * 372 + i64::from(d.month) * 31 + i64::from(d.day)
}

impl RelatedIndex {
    pub(super) fn build(stories: &[StoryEntry]) -> Self {
        let mut index = RelatedIndex {
            pages: stories.iter().map(|_| OnceLock::new()).collect(),
            ..RelatedIndex::default()
        };
        for (i, story) in stories.iter().enumerate() {
            let i = i as u32;
            for program in &story.programs {
                index.by_program.entry(program.clone()).or_default().push(i);
            }
            for tag in &story.tags {
                index.by_tag.entry(tag.clone()).or_default().push(i);
            }
        }
        index
    }

    /// The related stories a story page shows ([`Self::related`] with `limit`), worked out once
    /// per story: `limit` must be the same on every call.
    pub(super) fn of_page(&self, stories: &[StoryEntry], of: usize, limit: usize) -> &[usize] {
        match self.pages.get(of) {
            Some(page) => page.get_or_init(|| self.related(stories, of, limit)),
            None => &[],
        }
    }

    /// Up to `limit` stories sharing programs or tags with `stories[of]`, as positions: the most
    /// shared first (a program counts twice a tag), then the nearest in date, then by id.
    pub(super) fn related(&self, stories: &[StoryEntry], of: usize, limit: usize) -> Vec<usize> {
        let Some(entry) = stories.get(of) else {
            return Vec::new();
        };
        let mut score = vec![0u32; stories.len()];
        let mut reached = Vec::new();
        let mut add = |holders: Option<&Vec<u32>>, weight: u32| {
            for &i in holders.into_iter().flatten() {
                let i = i as usize;
                if score[i] == 0 {
                    reached.push(i);
                }
                score[i] += weight;
            }
        };
        for (k, program) in entry.programs.iter().enumerate() {
            if !entry.programs[..k].contains(program) {
                add(self.by_program.get(program), PROGRAM_WEIGHT);
            }
        }
        for (k, tag) in entry.tags.iter().enumerate() {
            if !entry.tags[..k].contains(tag) {
                add(self.by_tag.get(tag), 1);
            }
        }
        let mut scored: Vec<(u32, i64, usize)> = reached
            .into_iter()
            .filter(|&i| i != of)
            .map(|i| (score[i], (days(stories[i].date) - days(entry.date)).abs(), i))
            .collect();
        let order = |a: &(u32, i64, usize), b: &(u32, i64, usize)| -> Ordering {
            b.0.cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then_with(|| stories[a.2].id.cmp(&stories[b.2].id))
        };
        if limit == 0 {
            return Vec::new();
        }
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_by(order);
        scored.into_iter().map(|(_, _, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StoryKind;

    /// The definition itself: every other story scored by what it shares, all of them sorted.
    fn scan(stories: &[StoryEntry], of: usize, limit: usize) -> Vec<usize> {
        let entry = &stories[of];
        let mut scored: Vec<(usize, i64, usize)> = (0..stories.len())
            .filter(|&i| i != of)
            .filter_map(|i| {
                let other = &stories[i];
                let programs = other.programs.iter().filter(|p| entry.programs.contains(p)).count();
                let tags = other.tags.iter().filter(|t| entry.tags.contains(t)).count();
                let score = programs * 2 + tags;
                (score > 0).then(|| (score, (days(other.date) - days(entry.date)).abs(), i))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then_with(|| stories[a.2].id.cmp(&stories[b.2].id))
        });
        scored.into_iter().take(limit).map(|(_, _, i)| i).collect()
    }

    fn stories(count: usize) -> Vec<StoryEntry> {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        (0..count)
            .map(|i| {
                let programs = (0..next(3)).map(|_| format!("program-{}", next(4))).collect();
                let tags = (0..next(4)).map(|_| format!("tag-{}", next(7))).collect();
                StoryEntry {
                    id: format!("story-{:04}", next(10_000) * 1000 + i as u64),
                    date: Date {
                        year: 2015 + next(10) as u16,
                        month: 1 + next(12) as u8,
                        day: 1 + next(28) as u8,
                    },
                    kind: StoryKind::News,
                    programs,
                    tags,
                    versions: Default::default(),
                }
            })
            .collect()
    }

    #[test]
    fn the_index_finds_what_a_full_scan_finds() {
        let stories = stories(400);
        let index = RelatedIndex::build(&stories);
        for of in 0..stories.len() {
            for limit in [0, 1, 3, 10] {
                assert_eq!(
                    index.related(&stories, of, limit),
                    scan(&stories, of, limit),
                    "story {of}, limit {limit}"
                );
            }
        }
        assert!(index.related(&stories, stories.len(), 3).is_empty());
    }
}
