//! The README's sections and code blocks, which tests run as written.

/// The README's section whose `## ` heading starts with `heading`, up to
/// the next `## ` heading. Panics when there is none.
pub fn section(heading: &str) -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    readme
        .split("\n## ")
        .skip(1)
        .find(|section| section.starts_with(heading))
        .unwrap_or_else(|| panic!("README has no `## {heading}` section"))
        .to_owned()
}

/// The text of the first code block fenced as ```` ```lang ```` in the
/// README's section `heading` (see [`section`]). Panics, naming what is
/// missing, when there is no such block.
pub fn block(heading: &str, lang: &str) -> String {
    section(heading)
        .split(&format!("```{lang}\n"))
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("README has no ```{lang} block in its `## {heading}` section"))
        .to_owned()
}

/// The commands of a shell block, one per line, without their comments.
pub fn commands(block: &str) -> Vec<String> {
    block
        .lines()
        .map(|line| line.split('#').next().unwrap().trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}
