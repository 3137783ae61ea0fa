"""Seed a large forum quickly for bench/forum_pages.py.

Rows go in with bulk_create and explicit ids (so replies, read positions and topic statistics
can point at posts before they exist). Post bodies are built from a pool of Markdown blocks,
each rendered once by the project's one sanitiser (`community.markup`), so every stored
`body_html` is exactly what the app would have stored, without rendering 200,000 posts.
On PostgreSQL a temporary trigger fills the search vector as rows arrive, with the same
expression as `forums.services._update_search_vector`.

Everything here is deterministic for a given size (random.Random(2026)).
"""

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from community.markup import html_to_text, render_markdown
from community.models import Country, Membership, Organisation, Role, Service
from community.services import admit_member
from forums.models import Forum, Post, Tag, Topic, TopicReadState, TopicSubscription, TrackingLevel
from forums.services import SEARCH_CONFIG

User = get_user_model()

BENCH_DOMAIN = "bench.example"
READER_EMAIL = f"reader@{BENCH_DOMAIN}"
# The topic the bench reads page by page: 525 posts = 11 pages of 50, the last one partly full.
LONG_TOPIC_POSTS = 525
LONG_TOPIC_READ_UP_TO = 120
AUTHORS = 1200
BATCH = 2000
# Share of topics per forum slug; the bench reader (a helpline member) cannot read Hotlines.
FORUM_SHARES = {"awareness": 0.35, "helplines": 0.35, "hotlines": 0.15, "youth": 0.15}
READABLE_FORUMS = ("awareness", "helplines", "youth")

FIRST_NAMES = [
    "Maria", "Giorgos", "Aoife", "Liam", "Sofie", "Jan", "Katarzyna", "Piotr", "Anna", "Lukas", "Elena",
    "Matteo", "Chiara", "Jonas", "Emma", "Mikko", "Aino", "Ines", "João", "Lucía", "Pablo", "Eva", "Tomas",
    "Ieva", "Kristjan", "Mari", "Nikola", "Ivana", "Dimitra", "Hugo", "Camille", "Sven", "Ingrid", "Zsófia",
    "Bence", "Andrei", "Ioana", "Marek", "Lena", "Niamh",
]
LAST_NAMES = [
    "Papadopoulou", "Murphy", "Jansen", "Nowak", "Kowalski", "Müller", "Schmidt", "Rossi", "Bianchi",
    "Virtanen", "Korhonen", "Silva", "Santos", "García", "Fernández", "Novák", "Kask", "Tamm", "Horvat",
    "Kovačić", "Dubois", "Martin", "Lindqvist", "Hansen", "Nagy", "Popescu", "Ionescu", "Kazlauskas",
    "Bērziņš", "Borg", "Camilleri", "O'Brien", "Peeters", "Maes", "Vella", "Georgiou", "Andersen", "Larsen",
    "Svensson", "Weber",
]

# Sentences are templates with fillers, so words have realistic, uneven frequencies: a
# search for a common subject matches thousands of posts, a platform name or country far fewer.
TEMPLATES = [
    "Our counsellors took {more} {subject} contacts this quarter, mostly through {platform}.",
    "Most first contacts about {subject} now come through the chat service rather than the phone line.",
    "We updated the escalation protocol for {subject} with the police in {country} last month.",
    "Has anyone measured how long {platform} takes to answer a trusted flagger report?",
    "The Safer Internet Day materials on {subject} are translated and ready to share with schools.",
    "Parents in {country} keep asking about {subject} and what {platform} actually does about it.",
    "Our youth panel wants a campaign on {subject}, starting with {platform} users.",
    "We saw a spike in {subject} reports in school year groups after {event}.",
    "Cases increasingly start on {platform} and move to private messengers within days.",
    "The training for new helpline staff now includes a module on {subject}.",
    "Teachers report that {subject} is their biggest worry this year, ahead of everything else.",
    "We share a monthly summary of {subject} contacts with the awareness centre in {country}.",
    "Notice-and-takedown times for {platform} improved after {event}.",
    "Could we compare {subject} figures across countries before the next network meeting?",
    "Reports about {subject} doubled around {event} and dropped afterwards.",
    "A short video on {subject} worked better with younger children than our leaflet did.",
    "We are piloting a chatbot that answers simple questions about {subject} outside opening hours.",
    "Lessons on {subject} work best when young people lead part of the session.",
    "The youth ambassadors from {country} presented their findings on {subject} in October.",
    "Please remember not to post any identifying details of the people who contact us.",
    "We recommend the don't pay, don't delete message for every {subject} contact.",
    "Our referral list for mental health services is up to date for every region of {country}.",
    "{Platform} still shows self-harm challenges to teenagers despite its new policy.",
    "Players rarely report {subject} in online games because they see it as normal.",
    "The e-crime unit in {country} asked us to forward reports about scams on {platform}.",
    "We ran a workshop for parents on family accounts and screen time after {event}.",
    "The network survey on {subject} closes on Friday; thank you to everyone who answered.",
]
SUBJECTS = [
    "sextortion", "cyberbullying", "grooming", "excessive use", "sexting", "hate speech", "deepfakes",
    "age assurance", "data privacy", "sexual harassment", "media literacy", "scams", "self-harm content",
    "misinformation", "loot boxes",
]
PLATFORMS = [
    "Instagram", "TikTok", "Snapchat", "Discord", "Roblox", "WhatsApp", "Telegram", "Fortnite", "Twitch",
    "Minecraft", "YouTube", "Steam", "BeReal", "Kick",
]
EVENTS = [
    "the summer holidays", "the election campaign", "the new school year", "Safer Internet Day",
    "the exam period", "the Christmas break", "a viral challenge", "the media coverage",
]
LINKS = [
    ("the Better Internet for Kids portal", "https://www.betterinternetforkids.eu/"),
    ("our annual report", "https://sic.example.org/reports/2026"),
    ("the INHOPE statistics", "https://www.inhope.org/EN/articles"),
    ("the campaign toolkit", "https://awareness.example.eu/toolkit.pdf"),
]


@dataclass
class Seeded:
    reader_email: str
    long_topic_id: int
    long_topic_pages: int
    unread_topic_ids: list[int]


def _zipf(rng: random.Random, items: list[str]) -> str:
    return rng.choices(items, weights=[1 / (rank + 1) for rank in range(len(items))])[0]


def _sentences(rng: random.Random, countries: list[str], count: int) -> list[str]:
    chosen = []
    for _ in range(count):
        platform = _zipf(rng, PLATFORMS)
        chosen.append(_zipf(rng, TEMPLATES).format(
            subject=_zipf(rng, SUBJECTS), platform=platform, Platform=platform, country=_zipf(rng, countries),
            event=_zipf(rng, EVENTS), more=rng.choice(["twice as many", "fewer", "more", "a record number of"]),
        ))
    return chosen


def _markdown_blocks(rng: random.Random, countries: list[str], count: int) -> list[str]:
    """Paragraphs, lists, quotes, links, code and the odd table: what members actually write."""
    blocks = []
    for n in range(count):
        sentences = _sentences(rng, countries, rng.randint(1, 4))
        kind = n % 10
        if kind in (0, 1, 2, 3):
            text = " ".join(sentences)
            if rng.random() < 0.4:
                word = rng.choice(text.split()[2:-2] or ["this"])
                text = text.replace(f" {word} ", f" **{word}** ", 1)
            blocks.append(text)
        elif kind == 4:
            label, url = rng.choice(LINKS)
            blocks.append(f"{sentences[0]} See [{label}]({url}) or {url} for the details.")
        elif kind == 5:
            blocks.append("\n".join(f"- {sentence}" for sentence in sentences))
        elif kind == 6:
            blocks.append("\n".join(f"{index}. {sentence}" for index, sentence in enumerate(sentences, 1)))
        elif kind == 7:
            blocks.append("\n".join(f"> {sentence}" for sentence in sentences))
        elif kind == 8:
            rows = "\n".join(f"| {label} | {rng.randint(10, 400)} | {rng.randint(10, 400)} |"
                             for label in rng.sample(SUBJECTS, len(sentences)))
            blocks.append(f"| Contact type | Q2 | Q3 |\n|:--|--:|--:|\n{rows}")
        else:
            blocks.append(f"{sentences[0]}\n\n```\nif age < 13 and platform.requires_consent:\n    ask(parent)\n```")
    return blocks


class _Bodies:
    """Post bodies made of 1-4 blocks from a pool; each block was rendered once by the
    project's sanitiser, in normal and in safe mode (Hotlines)."""

    def __init__(self, rng: random.Random, countries: list[str], pool_size: int = 400):
        self.rng = rng
        self.sources = _markdown_blocks(rng, countries, pool_size)
        self.html = {mode: [render_markdown(source, safe_mode=mode) for source in self.sources]
                     for mode in (False, True)}
        self.text = [html_to_text(html) for html in self.html[False]]
        self.weights = [1 / (rank + 1) ** 0.5 for rank in range(pool_size)]

    def make(self, *, safe_mode: bool, mention: str = "") -> tuple[str, str, str]:
        picks = self.rng.choices(range(len(self.sources)), weights=self.weights,
                                 k=self.rng.choice((1, 1, 2, 2, 2, 3, 4)))
        source = "\n\n".join(self.sources[i] for i in picks)
        html = "\n".join(self.html[safe_mode][i] for i in picks)
        text = " ".join(self.text[i] for i in picks)
        if mention:
            # A mention is plain text to the renderer, so appending the rendered line is exact.
            line = f"Thanks @{mention}, that helps."
            source += f"\n\n{line}"
            html += f"\n<p>{line}</p>"
            text += f" {line}"
        return source, html, text


def _topic_sizes(rng: random.Random, topics: int, posts: int) -> list[int]:
    """Posts per topic: most threads are short, a few run to hundreds (log-normal), summing to
    `posts`; topic 0 is the long topic the bench reads page by page."""
    rest_topics, rest_posts = topics - 1, posts - LONG_TOPIC_POSTS
    raw = [rng.lognormvariate(0, 1.1) for _ in range(rest_topics)]
    scale = (rest_posts - rest_topics) / sum(raw)
    sizes = [1 + min(int(value * scale), 400) for value in raw]
    # Hand out what rounding and the cap left over, one post at a time, to topics with room.
    leftover = rest_posts - sum(sizes)
    index = 0
    while leftover > 0:
        if sizes[index % rest_topics] < 400:
            sizes[index % rest_topics] += 1
            leftover -= 1
        index += 1
    return [LONG_TOPIC_POSTS, *sizes]


ORGANISATION_KINDS = [("Awareness Centre", Service.AWARENESS), ("Helpline", Service.HELPLINE),
                      ("Hotline", Service.HOTLINE)]


def _people(rng: random.Random) -> tuple[list, dict[int, int]]:
    """Authors placed in organisations across the network's countries (approved members);
    returns (authors, country id by author id)."""
    services = {service.code: service.pk for service in Service.objects.all()}
    created = Organisation.objects.bulk_create([
        Organisation(name=f"{country.name} {kind}", country=country)
        for country in Country.objects.all() for kind, _code in ORGANISATION_KINDS
    ])
    organisations = list(Organisation.objects.filter(name__in=[o.name for o in created]).order_by("pk"))
    Organisation.services.through.objects.bulk_create([
        Organisation.services.through(organisation_id=organisation.pk, service_id=services[code])
        for organisation in organisations for kind, code in ORGANISATION_KINDS if organisation.name.endswith(kind)
    ])
    names = rng.sample([f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES], AUTHORS)
    User.objects.bulk_create([
        User(email=f"author{n}@{BENCH_DOMAIN}", display_name=name, password="!") for n, name in enumerate(names)
    ], batch_size=BATCH)
    authors = list(User.objects.filter(email__startswith="author", email__endswith=BENCH_DOMAIN).order_by("pk"))
    placements = [rng.choice(organisations) for _ in authors]
    now = timezone.now()
    Membership.objects.bulk_create([
        Membership(user=author, organisation=organisation, role=Role.MEMBER, status=Membership.Status.APPROVED,
                   decided_at=now)
        for author, organisation in zip(authors, placements, strict=True)
    ], batch_size=BATCH)
    return authors, {author.pk: organisation.country_id
                     for author, organisation in zip(authors, placements, strict=True)}


def _reader():
    """A plain helpline member: reads Awareness, Helplines and Youth, not Hotlines; no MFA."""
    organisation = Organisation.objects.create(name="Bench Helpline", country=Country.objects.get(code="IE"))
    reader = User.objects.create_user(email=READER_EMAIL, password=None, display_name="Bench Reader")
    admit_member(user=reader, organisation=organisation, role=Role.MEMBER,
                 services=Service.objects.filter(code=Service.HELPLINE))
    return reader


_SEARCH_TRIGGER = f"""
CREATE FUNCTION bench_post_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE(
            CASE WHEN NEW.number = 1 THEN (SELECT title FROM forums_topic WHERE id = NEW.topic_id) END, '')), 'A')
        || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE(NEW.body_text, '')), 'B');
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER bench_post_search_vector BEFORE INSERT ON forums_post
    FOR EACH ROW EXECUTE FUNCTION bench_post_search_vector();
"""
_DROP_SEARCH_TRIGGER = """
DROP TRIGGER IF EXISTS bench_post_search_vector ON forums_post;
DROP FUNCTION IF EXISTS bench_post_search_vector();
"""


def seed(*, topics: int, posts: int, progress=print) -> Seeded:
    if topics < 20 or posts < topics + LONG_TOPIC_POSTS:
        raise SystemExit(f"need at least 20 topics and {LONG_TOPIC_POSTS} posts more than topics")
    rng = random.Random(2026)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        authors, country_of = _people(rng)
        reader = _reader()
    author_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(authors))]
    forums = {forum.slug: forum for forum in Forum.objects.filter(slug__in=FORUM_SHARES)}
    forum_cycle = [slug for slug, share in FORUM_SHARES.items() for _ in range(round(share * 20))]
    tags = list(Tag.objects.values_list("pk", flat=True))
    bodies = _Bodies(rng, list(Country.objects.values_list("name", flat=True)))
    sizes = _topic_sizes(rng, topics, posts)

    now = timezone.now()
    span = timedelta(days=3 * 365)
    next_topic_id = (Topic.all_objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_post_id = (Post.all_objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    readable = {forums[slug].pk for slug in READABLE_FORUMS}
    forum_stats = {forum.pk: [0, 0, None] for forum in forums.values()}
    read_states, watched = [], []

    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(_DROP_SEARCH_TRIGGER + _SEARCH_TRIGGER)
    try:
        topic_rows, tag_rows, post_rows = [], [], []
        for index, size in enumerate(sizes):
            topic_id = next_topic_id + index
            forum = forums["helplines"] if index == 0 else forums[forum_cycle[index % len(forum_cycle)]]
            started = now - span * (1 - index / len(sizes)) * rng.uniform(0.98, 1.0)
            writers = rng.choices(authors, weights=author_weights, k=size)
            moment = started
            numbers = []
            for number, writer in enumerate(writers, start=1):
                moment += timedelta(minutes=rng.randint(3, 600))
                source, html, text = bodies.make(
                    safe_mode=forum.safe_mode,
                    mention=rng.choice(authors).display_name.replace(" ", "-") if rng.random() < 0.03 else "",
                )
                deleted = number > 1 and rng.random() < 0.005
                edited = rng.random() < 0.03
                reply_to = next_post_id - 1 - rng.randrange(number - 1) if number > 1 and rng.random() < 0.1 else None
                post_rows.append(Post(
                    id=next_post_id, topic_id=topic_id, number=number, author=writer, body=source, body_html=html,
                    body_text=text, reply_to_id=reply_to, created_at=moment,
                    edited_at=moment + timedelta(minutes=5) if edited else None, edited_by=writer if edited else None,
                    deleted_at=moment + timedelta(hours=1) if deleted else None, deleted_by=writer if deleted else None,
                ))
                if not deleted:
                    numbers.append((number, writer, moment))
                next_post_id += 1
            last_number, last_writer, last_moment = numbers[-1]
            topic_rows.append(Topic(
                id=topic_id, forum=forum, title=_title(rng, index), author=writers[0],
                country_id=country_of[writers[0].pk], created_at=started, last_activity_at=last_moment,
                last_poster=last_writer, last_post_number=last_number, reply_count=len(numbers) - 1,
                is_pinned=index % 997 == 5,
            ))
            for tag_id in rng.sample(tags, rng.choice((0, 1, 1, 2, 2, 3))):
                tag_rows.append(Topic.tags.through(topic_id=topic_id, tag_id=tag_id))
            stats = forum_stats[forum.pk]
            stats[0] += 1
            stats[1] += len(numbers)
            stats[2] = max(stats[2] or last_moment, last_moment)
            if forum.pk in readable:
                if index == 0:
                    read_states.append(TopicReadState(user=reader, topic_id=topic_id,
                                                      last_read_number=LONG_TOPIC_READ_UP_TO))
                elif rng.random() < 0.4:
                    read_states.append(TopicReadState(user=reader, topic_id=topic_id,
                                                      last_read_number=rng.randint(1, last_number)))
                if rng.random() < 0.05:
                    watched.append(TopicSubscription(user=reader, topic_id=topic_id, level=TrackingLevel.WATCHING))
            if len(post_rows) >= 20 * BATCH or index == len(sizes) - 1:
                with transaction.atomic():
                    Topic.all_objects.bulk_create(topic_rows, batch_size=BATCH)
                    Topic.tags.through.objects.bulk_create(tag_rows, batch_size=BATCH)
                    Post.all_objects.bulk_create(post_rows, batch_size=BATCH)
                progress(f"  seeded {index + 1:,} topics, {next_post_id - 1:,} posts")
                topic_rows, tag_rows, post_rows = [], [], []
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(_DROP_SEARCH_TRIGGER)

    with transaction.atomic():
        TopicReadState.objects.bulk_create(read_states, batch_size=BATCH)
        TopicSubscription.objects.bulk_create(watched, batch_size=BATCH)
        for forum_id, (topic_count, post_count, last) in forum_stats.items():
            Forum.objects.filter(pk=forum_id).update(topic_count=topic_count, post_count=post_count,
                                                     last_activity_at=last)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Topic, Post]):
            cursor.execute(statement)
        # Planner statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would keep.
        # Autovacuum also empties a GIN index's list of pending entries, which every search
        # would otherwise read through: vacuum here too, so the run measures that steady state.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return describe()


TITLE_SUBJECTS = [
    "Sextortion contacts", "Deepfake nudes in schools", "Age assurance checks", "Grooming on gaming platforms",
    "Safer Internet Day materials", "Helpline chat hours", "Hate speech reports", "Youth panel campaign",
    "Excessive use worries", "Takedown times for image hosts", "Referral lists", "Parent workshops",
]
TITLE_ANGLES = [
    "what are you seeing?", "sharing our figures", "a question for helplines", "training ideas",
    "cooperation with platforms", "after the summer", "materials to translate", "next steps",
]


def _title(rng: random.Random, index: int) -> str:
    return f"{rng.choice(TITLE_SUBJECTS)}: {rng.choice(TITLE_ANGLES)} ({index + 1})"


def describe() -> Seeded | None:
    """What the bench needs to know about the seed in this database (None when there is none)."""
    reader = User.objects.filter(email=READER_EMAIL).first()
    long_topic = Topic.all_objects.filter(author__email__endswith=f"@{BENCH_DOMAIN}").order_by("pk").first()
    if reader is None or long_topic is None:
        return None
    read = set(TopicReadState.objects.filter(user=reader).values_list("topic_id", flat=True))
    unread = [
        topic_id for topic_id in Topic.all_objects.filter(forum__slug__in=READABLE_FORUMS, last_post_number__gte=20)
        .exclude(pk=long_topic.pk).order_by("pk").values_list("pk", flat=True)
        if topic_id not in read
    ]
    return Seeded(reader_email=READER_EMAIL, long_topic_id=long_topic.pk,
                  long_topic_pages=math.ceil(LONG_TOPIC_POSTS / 50), unread_topic_ids=unread)
