"""Is a post a complaint, and about what.

Two scores drive the decision. The *problem* score counts signs that something is wrong
(negated verbs, breakage, waiting for weeks, requests to act, sarcasm); the *topic*
scores weigh lemma keywords per category. Non-complaint classes (ads, thanks,
questions, ...) hold a post back: strong ones (ads, spam, lost pets) whatever it says,
soft ones (thanks, questions, chatter) unless the post also reports a concrete problem,
which is how a sarcastic "спасибо" or a question about a broken lift stays a complaint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from adapters.triage.document import Document
from adapters.triage.lexicon import Pattern, PatternSet, compile_pattern
from adapters.triage.morphology import Morphology
from adapters.triage.tokens import NUMBER, ORDINAL, WORD, fold

_TOPIC = "topic"
_FACILITY = "facility"
_PROBLEM = "problem"
_SARCASM = "sarcasm"
_CLASS = "class"

STRONG = "strong"
SOFT = "soft"
INFO_REQUEST = "info_request"
NO_PROBLEM = "no_problem"


@dataclass(frozen=True, slots=True)
class Judgement:
    is_complaint: bool
    category: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class _Requests:
    verbs: frozenset[str]
    info_verbs: frozenset[str]
    info_objects: frozenset[str]
    action_weight: float
    window: int


class Classifier:
    def __init__(self, categories: dict, signals: dict, morph: Morphology) -> None:
        def lemmas(words: list[str]) -> frozenset[str]:
            return frozenset(morph.lemma(w) for w in words)

        self._categories = list(categories["categories"])
        self._facility_weight = float(categories["facility_weight"])
        self._near = frozenset(fold(w) for w in categories["near_prepositions"])
        self._inside = frozenset(fold(w) for w in categories["inside_prepositions"])
        self._first_factor = float(categories["first_sentence_factor"])
        self._strong_topic = float(categories["strong_topic"])
        routes = categories["route_numbers"]
        self._route_category = routes["category"]
        self._route_weight = float(routes["weight"])
        self._route_suffixes = frozenset(routes["suffixes"])
        # Every keyword rule goes into one pattern set so that a post is scanned once.
        patterns: list[tuple[Pattern, tuple]] = []
        for cat, spec in categories["categories"].items():
            patterns += [(compile_pattern(src, morph), (_TOPIC, cat, float(w))) for src, w in spec["keywords"].items()]
            patterns += [(compile_pattern(src, morph), (_FACILITY, cat)) for src in spec["facilities"]]
        self._threshold = float(signals["threshold"])
        self._strong_override = float(signals["strong_override"])
        self._topic_min = float(signals["topic_min"])
        self._formal_channels = frozenset(signals["formal_channels"])
        patterns += [(compile_pattern(src, morph), (_PROBLEM, float(w))) for src, w in signals["problem"].items()]
        negation = signals["negation"]
        self._negators = frozenset(fold(w) for w in negation["particles"])
        self._negation_skip = frozenset(fold(w) for w in negation["skip"])
        self._negation_pos = frozenset(negation["pos"])
        self._negation_weight = float(negation["weight"])
        persistence = signals["persistence"]
        self._persistence_weight = float(persistence["weight"])
        self._lead_words = lemmas(persistence["lead_words"])
        self._ordinal_lemmas = lemmas(persistence["ordinal_lemmas"])
        self._durations = lemmas(persistence["duration_lemmas"])
        requests = signals["requests"]
        self._requests = _Requests(
            verbs=lemmas(requests["verbs"]),
            info_verbs=lemmas(requests["info_verbs"]),
            info_objects=lemmas(requests["info_objects"]),
            action_weight=float(requests["action_weight"]),
            window=int(requests["window"]),
        )
        self._info_override = float(requests["info_override"])
        questions = signals["questions"]
        self._question_openers = frozenset(fold(w) for w in questions["openers"])
        self._repairs = lemmas(questions["repairs"])
        self._when_openers = frozenset(fold(w) for w in questions["when"])
        self._imperative_weight = float(signals["imperative"]["weight"])
        self._imperative_exclude = lemmas(signals["imperative"]["exclude"])
        patterns += [(compile_pattern(src, morph), (_SARCASM,)) for src in signals["sarcasm"]["markers"]]
        self._sarcasm_weight = float(signals["sarcasm"]["weight"])
        patterns += [
            (compile_pattern(src, morph), (_CLASS, name, spec["strength"]))
            for name, spec in signals["classes"].items()
            for src in spec["patterns"]
        ]
        self._lexicon = PatternSet(patterns)
        self._override = {
            name: float(spec.get("override", self._threshold)) for name, spec in signals["classes"].items()
        }
        self._override[INFO_REQUEST] = self._info_override
        self._cancelled_by_sarcasm = frozenset(
            name for name, spec in signals["classes"].items() if spec.get("sarcasm_cancels")
        )

    def judge(self, doc: Document, channel: str) -> Judgement:
        hits = self._hits(doc)
        topics = self._topics(doc, hits)
        category = max(topics, key=lambda c: topics[c]) if any(topics.values()) else None
        topic = topics[category] if category else 0.0
        praised = any(name in self._cancelled_by_sarcasm for (_, name, _), _ in hits[_CLASS])
        sarcastic = bool(hits[_SARCASM]) or (praised and self._scare_quotes(doc))
        problem, info_request = self._problem(doc, hits, sarcastic)
        classes = self._held_back_by(doc, hits, info_request, sarcastic)
        strong = [name for name, strength in classes if strength == STRONG]
        soft = [name for name, strength in classes if strength == SOFT]
        if strong and problem < self._strong_override:
            return Judgement(False, None, strong[0])
        if soft:
            if problem >= max(self._override[name] for name in soft) and topic >= self._topic_min:
                return Judgement(True, category, None)
            return Judgement(False, None, soft[0])
        # Unless something holds it back, a post that dwells on a city service is a
        # report about it, and a formal appeal is a request to act even when it states
        # the problem plainly.
        reported = topic >= self._strong_topic or (channel in self._formal_channels and topic >= self._topic_min)
        if reported or (problem >= self._threshold and (topic > 0 or problem >= 2 * self._threshold)):
            return Judgement(True, category or "other", None)
        return Judgement(False, None, NO_PROBLEM)

    @staticmethod
    def _scare_quotes(doc: Document) -> bool:
        """An everyday word in quotation marks: "спасибо за «ремонт»", "«благоустроили»".
        Names in quotes are capitalised («Магнит»)."""
        for i, t in enumerate(doc.tokens):
            if doc.quoted[i] and t.kind == WORD and not doc.quoted[i - 1] and not t.is_capitalised:
                a = doc.analyses[i]
                if a is not None and a.common:
                    return True
        return False

    def _hits(self, doc: Document) -> dict[str, list[tuple[tuple, int]]]:
        hits: dict[str, list[tuple[tuple, int]]] = {k: [] for k in (_TOPIC, _FACILITY, _PROBLEM, _SARCASM, _CLASS)}
        for payload, position in self._lexicon.occurrences(doc):
            hits[payload[0]].append((payload, position))  # type: ignore[index]
        return hits

    # -- topics ------------------------------------------------------------------------

    def _topics(self, doc: Document, hits: dict[str, list[tuple[tuple, int]]]) -> dict[str, float]:
        scores = dict.fromkeys(self._categories, 0.0)
        first_seen: dict[str, int] = {}
        for (_, category, weight), position in hits[_TOPIC]:
            # A quoted word names something (the stop «Больница») or mocks it («ремонт»).
            if doc.quoted[position]:
                continue
            scores[category] += weight * self._position_factor(doc, position)
            first_seen[category] = min(first_seen.get(category, position), position)
        for position in self._route_numbers(doc):
            scores[self._route_category] += self._route_weight * self._position_factor(doc, position)
            first_seen.setdefault(self._route_category, position)
        framed: set[str] = set()
        for (_, category), position in hits[_FACILITY]:
            if category not in framed and not doc.quoted[position] and self._frames(doc, position):
                framed.add(category)
                scores[category] += self._facility_weight * self._position_factor(doc, position)
        # Ties go to the problem named first.
        order = sorted(scores, key=lambda c: first_seen.get(c, len(doc.tokens)))
        return {c: scores[c] for c in order}

    def _route_numbers(self, doc: Document) -> list[int]:
        """Bus routes named by number alone: "94-й вечером не найти", "в 42-м нахамила".

        An ordinal followed by a noun counts something else ("3-й подъезд", "5-й день"), and
        one followed by an adjective names a street ("1й Конной Армии").
        """
        found = []
        for i, t in enumerate(doc.tokens):
            if t.kind != ORDINAL or t.low.lstrip("0123456789-–") not in self._route_suffixes:
                continue
            nxt = doc.analyses[i + 1] if i + 1 < len(doc.tokens) else None
            if nxt is None or not nxt.readings or nxt.readings[0].pos not in ("NOUN", "ADJF"):
                found.append(i)
        return found

    def _position_factor(self, doc: Document, position: int) -> float:
        return self._first_factor if doc.tokens[position].sentence == 0 else 1.0

    def _frames(self, doc: Document, position: int) -> bool:
        """Whether a facility is where the problem is ("в поликлинике", "Школа на ...")
        rather than a reference point ("у школы", "дети в школу ходят")."""
        i = position - 1
        while i >= 0 and (a := doc.analyses[i]) is not None and a.main_pos == "ADJF":
            i -= 1
        if i < 0 or doc.tokens[i].kind != WORD:
            return True
        prev = doc.tokens[i].low
        if prev in self._near:
            return False
        if prev in self._inside:
            a = doc.analyses[position]
            cases = {r.case for r in a.readings} if a is not None else set()
            return "loct" in cases or "accs" not in cases
        return True

    # -- problem signals ---------------------------------------------------------------

    def _problem(self, doc: Document, hits: dict[str, list[tuple[tuple, int]]], sarcastic: bool) -> tuple[float, bool]:
        """The problem score and whether the post asks for information only."""
        score = sum(weight for (_, weight), _ in hits[_PROBLEM])
        score += self._negations(doc) + self._persistence(doc) + self._imperatives(doc)
        if sarcastic:
            score += self._sarcasm_weight
        action, info = self._request_kind(doc)
        asks, fix = self._questions(doc)
        if action or fix:
            score += self._requests.action_weight
        return score, (info or asks) and not action

    def _negations(self, doc: Document) -> float:
        score = 0.0
        n = len(doc.tokens)
        for i, t in enumerate(doc.tokens):
            if t.low not in self._negators:
                continue
            j = i + 1
            while j < n and doc.tokens[j].low in self._negation_skip:
                j += 1
            a = doc.analyses[j] if j < n else None
            if a is not None and any(r.pos in self._negation_pos for r in a.readings):
                score += self._negation_weight
        return score

    def _persistence(self, doc: Document) -> float:
        """Waiting named in the text: "третью неделю", "уже год", "ждали 2 часа"."""
        score = 0.0
        for i in range(1, len(doc.tokens)):
            if not doc.lemmas(i) & self._durations:
                continue
            p = i - 1
            before = doc.tokens[p]
            counted = before.kind == ORDINAL or doc.lemmas(p) & (self._ordinal_lemmas | self._lead_words)
            led = before.kind == NUMBER and any(doc.lemmas(k) & self._lead_words for k in range(max(0, p - 2), p))
            if counted or led:
                score += self._persistence_weight
        return score

    def _imperatives(self, doc: Document) -> float:
        score = 0.0
        for a in doc.analyses:
            if a is None or not a.readings:
                continue
            first = a.readings[0]
            if first.mood == "impr" and first.lemma not in self._imperative_exclude:
                score += self._imperative_weight
        return score

    def _request_kind(self, doc: Document) -> tuple[bool, bool]:
        """(asks to act, asks for information) from "прошу/просим/требую ..."."""
        action = info = False
        r = self._requests
        for i in range(len(doc.tokens)):
            if not doc.lemmas(i) & r.verbs:
                continue
            verbs: list[str] = []
            objects = False
            for j in range(i + 1, min(len(doc.tokens), i + 1 + r.window)):
                if doc.tokens[j].sentence != doc.tokens[i].sentence:
                    break
                a = doc.analyses[j]
                if a is None or not a.readings:
                    continue
                if a.readings[0].pos == "INFN":
                    verbs.append(a.readings[0].lemma)
                objects = objects or bool(a.lemmas & r.info_objects)
            if any(v not in r.info_verbs for v in verbs):
                action = True
            elif verbs or objects:
                info = True
            else:
                action = True
        return action, info

    def _questions(self, doc: Document) -> tuple[bool, bool]:
        """(asks for information, asks when a fault will be fixed).

        A post that opens with "как передать показания?" or "когда отключат воду?" asks
        for information; a question after a description ("... Куда смотрит УК?") is
        rhetorical. "Когда починят лифт?", anywhere, reports that the lift is broken.
        """
        info = fix = False
        sentences: dict[int, list[int]] = {}
        for t in doc.tokens:
            sentences.setdefault(t.sentence, []).append(t.index)
        for sentence, indices in sentences.items():
            words = [i for i in indices if doc.tokens[i].kind == WORD]
            if not words or doc.tokens[indices[-1]].low != "?":
                continue
            opener = doc.tokens[words[0]].low
            pair = f"{opener} {doc.tokens[words[1]].low}" if len(words) > 1 else opener
            if opener not in self._question_openers and pair not in self._question_openers:
                continue
            if opener in self._when_openers and any(doc.lemmas(i) & self._repairs for i in words):
                fix = True
            elif sentence == 0:
                info = True
        return info and not fix, fix

    # -- non-complaint classes ---------------------------------------------------------

    def _held_back_by(
        self, doc: Document, hits: dict[str, list[tuple[tuple, int]]], info_request: bool, sarcastic: bool
    ) -> list[tuple[str, str]]:
        first: dict[str, tuple[int, str]] = {}
        for (_, name, strength), position in hits[_CLASS]:
            # Quoted words are someone else's: «сниму квартиру» on a pasted-over pole.
            if doc.quoted[position]:
                continue
            if name not in first or position < first[name][0]:
                first[name] = (position, strength)
        if info_request:
            first.setdefault(INFO_REQUEST, (0, SOFT))
        if sarcastic:
            for name in self._cancelled_by_sarcasm:
                first.pop(name, None)
        return [(name, strength) for name, (_, strength) in sorted(first.items(), key=lambda kv: kv[1][0])]


def load_classifier(language_dir: Path, morph: Morphology) -> Classifier:
    categories = json.loads((language_dir / "categories.json").read_text(encoding="utf-8"))
    signals = json.loads((language_dir / "signals.json").read_text(encoding="utf-8"))
    return Classifier(categories, signals, morph)
