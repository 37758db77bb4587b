"""Reference VQA accuracy and ChartQA relaxed accuracy, written from the official rules.

VQA: GT-Vision-Lab/VQA PythonEvaluationTools/vqaEvaluation/vqaEval.py (VQAEval.evaluate, processPunctuation,
processDigitArticle). ChartQA: relaxed_correctness (pix2struct / ChartQA), with white space and one trailing period
trimmed. Usage: task_accuracy_oracle.py cases.json → one score per line, in order. Each case is
{"kind": "vqa" | "chartqa" | "chartqa-trim", "prediction": str, "answers": [str]}.
"""
import json
import re
import sys

CONTRACTIONS = {
    "aint": "ain't", "arent": "aren't", "cant": "can't", "couldve": "could've",
    "couldnt": "couldn't", "couldn'tve": "couldn't've", "couldnt've": "couldn't've", "didnt": "didn't",
    "doesnt": "doesn't", "dont": "don't", "hadnt": "hadn't", "hadnt've": "hadn't've",
    "hadn'tve": "hadn't've", "hasnt": "hasn't", "havent": "haven't", "hed": "he'd",
    "hed've": "he'd've", "he'dve": "he'd've", "hes": "he's", "howd": "how'd",
    "howll": "how'll", "hows": "how's", "Id've": "I'd've", "I'dve": "I'd've",
    "Im": "I'm", "Ive": "I've", "isnt": "isn't", "itd": "it'd",
    "itd've": "it'd've", "it'dve": "it'd've", "itll": "it'll", "let's": "let's",
    "maam": "ma'am", "mightnt": "mightn't", "mightnt've": "mightn't've", "mightn'tve": "mightn't've",
    "mightve": "might've", "mustnt": "mustn't", "mustve": "must've", "neednt": "needn't",
    "notve": "not've", "oclock": "o'clock", "oughtnt": "oughtn't", "ow's'at": "'ow's'at",
    "'ows'at": "'ow's'at", "'ow'sat": "'ow's'at", "shant": "shan't", "shed've": "she'd've",
    "she'dve": "she'd've", "she's": "she's", "shouldve": "should've", "shouldnt": "shouldn't",
    "shouldnt've": "shouldn't've", "shouldn'tve": "shouldn't've", "somebody'd": "somebodyd", "somebodyd've": "somebody'd've",
    "somebody'dve": "somebody'd've", "somebodyll": "somebody'll", "somebodys": "somebody's", "someoned": "someone'd",
    "someoned've": "someone'd've", "someone'dve": "someone'd've", "someonell": "someone'll", "someones": "someone's",
    "somethingd": "something'd", "somethingd've": "something'd've", "something'dve": "something'd've", "somethingll": "something'll",
    "thats": "that's", "thered": "there'd", "thered've": "there'd've", "there'dve": "there'd've",
    "therere": "there're", "theres": "there's", "theyd": "they'd", "theyd've": "they'd've",
    "they'dve": "they'd've", "theyll": "they'll", "theyre": "they're", "theyve": "they've",
    "twas": "'twas", "wasnt": "wasn't", "wed've": "we'd've", "we'dve": "we'd've",
    "weve": "we've", "werent": "weren't", "whatll": "what'll", "whatre": "what're",
    "whats": "what's", "whatve": "what've", "whens": "when's", "whered": "where'd",
    "wheres": "where's", "whereve": "where've", "whod": "who'd", "whod've": "who'd've",
    "who'dve": "who'd've", "wholl": "who'll", "whos": "who's", "whove": "who've",
    "whyll": "why'll", "whyre": "why're", "whys": "why's", "wont": "won't",
    "wouldve": "would've", "wouldnt": "wouldn't", "wouldnt've": "wouldn't've", "wouldn'tve": "wouldn't've",
    "yall": "y'all", "yall'll": "y'all'll", "y'allll": "y'all'll", "yall'd've": "y'all'd've",
    "y'alld've": "y'all'd've", "y'all'dve": "y'all'd've", "youd": "you'd", "youd've": "you'd've",
    "you'dve": "you'd've", "youll": "you'll", "youre": "you're", "youve": "you've",
}
NUMBERS = {"none": "0", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
           "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
ARTICLES = ["a", "an", "the"]
PERIOD_STRIP = re.compile(r"(?!<=\d)(\.)(?!\d)")
COMMA_STRIP = re.compile(r"(\d)(\,)(\d)")
PUNCT = [";", r"/", "[", "]", '"', "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@", "`", ",", "?", "!"]


def process_punctuation(in_text):
    out_text = in_text
    for p in PUNCT:
        if (p + " " in in_text or " " + p in in_text) or (re.search(COMMA_STRIP, in_text) is not None):
            out_text = out_text.replace(p, "")
        else:
            out_text = out_text.replace(p, " ")
    # The official script passes re.UNICODE (= 32) positionally, i.e. as the replacement count.
    return PERIOD_STRIP.sub("", out_text, re.UNICODE)


def process_digit_article(in_text):
    words = []
    for word in in_text.lower().split():
        word = NUMBERS.get(word, word)
        if word not in ARTICLES:
            words.append(word)
    return " ".join(CONTRACTIONS.get(w, w) for w in words)


def vqa_accuracy(prediction, answers):
    res = prediction.replace("\n", " ").replace("\t", " ").strip()
    res = process_digit_article(process_punctuation(res))
    gts = [{"answer": a, "answer_id": i} for i, a in enumerate(answers)]
    if len(set(answers)) > 1:
        for g in gts:
            g["answer"] = process_punctuation(g["answer"])
    accs = []
    for g in gts:
        others = [o for o in gts if o != g]
        matching = [o for o in others if o["answer"] == res]
        accs.append(min(1, float(len(matching)) / 3))
    return float(sum(accs)) / len(accs)


def relaxed(prediction, target, trim=False):
    """pix2struct's relaxed_correctness (Methani et al. 2020 as used for ChartQA), transcribed; with trim, this project's
    optional extension first strips white space and one trailing period from both strings."""
    def clean(t):
        t = t.strip()
        return t[:-1].rstrip() if t.endswith(".") else t

    def to_float(t):
        try:
            return float(t.rstrip("%")) / 100.0 if t.endswith("%") else float(t)
        except ValueError:
            return None

    if trim:
        prediction, target = clean(prediction), clean(target)
    p, t = to_float(prediction), to_float(target)
    if p is not None and t:
        return abs(p - t) / abs(t) <= 0.05
    return prediction.lower() == target.lower()


def main():
    cases = json.load(open(sys.argv[1], encoding="utf-8"))
    for case in cases:
        if case["kind"] == "vqa":
            print(repr(vqa_accuracy(case["prediction"], case["answers"])))
        else:
            trim = case["kind"] == "chartqa-trim"
            print(repr(1.0 if any(relaxed(case["prediction"], a, trim) for a in case["answers"]) else 0.0))


main()
