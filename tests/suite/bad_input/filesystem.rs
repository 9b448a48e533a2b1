//! The file system: symbolic links (followed, looping, dangling, leaving the site), named
//! pipes and sockets, unreadable files and folders, paths that collide, and output folders
//! that would overwrite the site or someone's files.

use std::path::PathBuf;

use super::harness::Category::FileSystem;
use super::harness::{Case, builds, fails};

pub fn cases() -> Vec<Case> {
    let mut cases = links_and_special_files();
    cases.extend(permissions_and_paths());
    cases.extend(output_folders());
    cases
}

fn links_and_special_files() -> Vec<Case> {
    vec![
        // Links are followed, like any program that opens a path: an editor may keep a page
        // in one place and link it into another.
        builds(
            FileSystem,
            "link to a file inside the site",
            |c| c.symlink("../about.md", "content/guide/about-too.md"),
            &[("guide/about-too/index.html", "About this site.")],
        ),
        builds(
            FileSystem,
            "link to a folder",
            |c| c.symlink("guide/deep", "content/deeper"),
            &[("deeper/page/index.html", "<h1")],
        ),
        builds(
            FileSystem,
            "link to a file outside the site",
            |c| {
                let shared = c.tmp.join("shared");
                std::fs::create_dir_all(&shared).unwrap();
                std::fs::write(
                    shared.join("faq.md"),
                    "+++\ntitle = \"Shared FAQ\"\n+++\nFrom outside.\n",
                )
                .unwrap();
                c.symlink("../../shared/faq.md", "content/faq.md");
            },
            &[("faq/index.html", "From outside.")],
        ),
        fails(
            FileSystem,
            "link loop through a folder",
            |c| c.symlink("..", "content/guide/up"),
            &["site/content/guide/up: symbolic link loop"],
        ),
        fails(
            FileSystem,
            "link to itself",
            |c| c.symlink("self.md", "content/self.md"),
            &[
                "site/content/self.md: cannot follow this symbolic link to self.md",
                "Too many levels",
            ],
        ),
        fails(
            FileSystem,
            "dangling link",
            |c| c.symlink("gone.md", "content/about-old.md"),
            &["site/content/about-old.md: broken symbolic link: it points to gone.md"],
        ),
        fails(
            FileSystem,
            "link loop in static/",
            |c| c.symlink(".", "static/again"),
            &["site/static/again: symbolic link loop"],
        ),
        fails(
            FileSystem,
            "named pipe in content/",
            |c| c.fifo("content/pipe.md"),
            &["site/content/pipe.md: not a regular file"],
        ),
        fails(
            FileSystem,
            "named pipe in static/",
            |c| c.fifo("static/pipe.css"),
            &["site/static/pipe.css: not a regular file"],
        ),
        fails(
            FileSystem,
            "named pipe as a template",
            |c| c.fifo("templates/page.html"),
            &["site/templates/page.html: not a regular file"],
        ),
        fails(
            FileSystem,
            "socket in content/",
            |c| {
                let listener = std::os::unix::net::UnixListener::bind(c.path("content/sock.md"));
                drop(listener.unwrap());
            },
            &["site/content/sock.md: not a regular file"],
        ),
    ]
}

fn permissions_and_paths() -> Vec<Case> {
    vec![
        fails(
            FileSystem,
            "unreadable content file",
            |c| c.make_unreadable("content/about.md"),
            &["site/content/about.md: cannot read: Permission denied"],
        )
        .unprivileged(),
        fails(
            FileSystem,
            "unreadable content folder",
            |c| c.make_unreadable("content/guide/deep"),
            &["site/content/guide/deep: Permission denied"],
        )
        .unprivileged(),
        fails(
            FileSystem,
            "unreadable template",
            |c| {
                c.write("templates/page.html", "{{ page.title }}");
                c.make_unreadable("templates/page.html");
            },
            &["site/templates/page.html: cannot read: Permission denied"],
        )
        .unprivileged(),
        fails(
            FileSystem,
            "unreadable static file",
            |c| {
                c.write("static/secret.txt", "x");
                c.make_unreadable("static/secret.txt");
            },
            &["site/static/secret.txt: cannot read: Permission denied"],
        )
        .unprivileged(),
        fails(
            FileSystem,
            "file name that is not UTF-8",
            |c| {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
                std::fs::write(c.path("content").join(name), "+++\ntitle = \"C\"\n+++\n").unwrap();
            },
            &["site/content/caf\u{fffd}.md: `caf\u{fffd}` cannot be used in a URL"],
        ),
        fails(
            FileSystem,
            "page in place of a static file",
            |c| c.write("content/style.css.md", "+++\ntitle = \"Style\"\n+++\n"),
            &[
                "site/content/style.css.md",
                "/style.css/",
                "static file style.css",
            ],
        ),
        fails(
            FileSystem,
            "static file in place of a generated file",
            |c| c.write("static/matrix.json", "{}"),
            &[
                "static/matrix.json: this static file has the same path as the generated /matrix.json",
            ],
        ),
        fails(
            FileSystem,
            "static folder in place of a generated file",
            |c| c.write("static/robots.txt/x.txt", "x"),
            &["static/robots.txt/x.txt", "/robots.txt"],
        ),
    ]
}

fn output_folders() -> Vec<Case> {
    vec![
        fails(
            FileSystem,
            "output folder is the site root",
            |_| {},
            &["output folder site would overwrite the site's own files"],
        )
        .output(|_| PathBuf::from("site")),
        fails(
            FileSystem,
            "output folder holds the site",
            |_| {},
            &["would overwrite the site's own files"],
        )
        .output(|_| PathBuf::from(".")),
        fails(
            FileSystem,
            "output folder inside content/",
            |_| {},
            &["output folder site/content/out would overwrite the site's own files"],
        )
        .output(|_| PathBuf::from("site/content/out")),
        fails(
            FileSystem,
            "output folder reaches content/ through ..",
            |_| {},
            &["would overwrite the site's own files"],
        )
        .output(|_| PathBuf::from("site/output/../content/out")),
        fails(
            FileSystem,
            "output folder reaches content/ through a link",
            |c| c.symlink("site/content", "../notes"),
            &["would overwrite the site's own files"],
        )
        .output(|_| PathBuf::from("notes/out")),
        fails(
            FileSystem,
            "output folder holds someone's files",
            |c| c.write("../elsewhere/precious.txt", "keep"),
            &["refusing to replace elsewhere", "not written by versus"],
        )
        .output(|_| PathBuf::from("elsewhere")),
        // The link stays and the folder it leads to is replaced (it holds an equal build, so
        // nothing outside site/output may differ afterwards).
        builds(
            FileSystem,
            "output folder is a link to a previous build",
            |c| {
                std::fs::rename(c.path("output"), c.tmp.join("deployed")).unwrap();
                c.symlink("../deployed", "output");
            },
            &[("index.html", "<html")],
        ),
        fails(
            FileSystem,
            "output folder is a dangling link",
            |c| {
                std::fs::remove_dir_all(c.path("output")).unwrap();
                c.symlink("../gone", "output");
            },
            &["output folder site/output is a symbolic link to ../gone, which cannot be followed"],
        )
        .output(|_| PathBuf::from("site/output")),
        fails(
            FileSystem,
            "output path is a file",
            |c| c.write("../report.pdf", "%PDF"),
            &["report.pdf", "not a folder"],
        )
        .output(|_| PathBuf::from("report.pdf")),
    ]
}
