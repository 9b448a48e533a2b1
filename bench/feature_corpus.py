#!/usr/bin/env python3
"""A copy of a ../shared/bench/gen_corpus.py site (our format) that also uses the features
the generator leaves out, so that a timed build pays for them (issue 19, item 5):

- every digest names an archived copy (`archive`, `retrieved`) in an archive folder beside
  the content, and its first claim carries a `quote` of up to 12 words taken from that copy,
  which the build verifies;
- one digest in ten calls the `claim` shortcode and one in ten the `consensus` shortcode.

Code blocks (highlighting) are in the generated bodies already.

    bench/feature_corpus.py SITE OUT      # e.g. /dev/shm/versus-side-by-side/10000/versus
"""

import pathlib
import re
import shutil
import sys

PLAIN_SENTENCE = re.compile(r"[A-Z][A-Za-z ,]+\.")


def quote_from(body: str):
    """The first 12 words of the body's first sentence made only of letters, spaces and
    commas: it occurs verbatim in the archived copy, which is the body itself."""
    for paragraph in body.split("\n\n"):
        if paragraph.startswith(("#", "-", "|", "```", ">")):
            continue
        for sentence in PLAIN_SENTENCE.findall(paragraph):
            words = sentence.rstrip(".").split()
            if len(words) >= 6:
                return " ".join(words[:12])
    return None


def main() -> None:
    site, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out)
    archive = out / "archive"
    archive.mkdir()
    config = out / "site.toml"
    config.write_text(config.read_text() + '\n[evidence]\narchive = "archive"\n')
    articles = sorted((out / "content" / "articles").glob("*.md"))
    quotes = shortcodes = 0
    for n, path in enumerate(articles):
        text = path.read_text()
        _, front, body = text.split("+++\n", 2)
        copy = f"{path.stem}.txt"
        (archive / copy).write_text(body)
        head, sep, claims = front.partition("\n[claims.")
        head += f'archive = "{copy}"\nretrieved = 2026-11-20\n'
        quote = quote_from(body)
        if quote and sep:
            # After the first claim's note.
            claims = re.sub(r'(?m)^(note = ".*")$', lambda m: f'{m.group(1)}\nquote = "{quote}"',
                            claims, count=1)
            quotes += 1
        first = re.search(r"^([a-z0-9-]+)\]", claims)
        if first and n % 10 == 3:
            body += f'\n{{{{ claim(article="{path.stem}", criterion="{first.group(1)}") }}}}\n'
            shortcodes += 1
        if first and n % 10 == 7:
            body += f'\n{{{{ consensus(criterion="{first.group(1)}") }}}}\n'
            shortcodes += 1
        path.write_text(f"+++\n{head}{sep}{claims}+++\n{body}")
    print(f"{len(articles)} digests -> {out}: {quotes} quotes, {shortcodes} shortcode calls")


if __name__ == "__main__":
    main()
