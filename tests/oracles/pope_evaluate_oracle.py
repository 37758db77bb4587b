"""POPE's evaluation, transcribed from RUCAIBox/POPE evaluate.py (Li et al. 2023).

Usage: pope_evaluate_oracle.py answers.jsonl labels.jsonl -> one line "TP FP TN FN accuracy precision recall f1 yes_ratio".
answers.jsonl has {"answer": text} per line and labels.jsonl {"label": "yes"|"no"} per line, in the same order, as the
original script reads them. Ratios with a zero denominator print "nan" (the script raises ZeroDivisionError there).
"""
import json
import sys

answers = [json.loads(q) for q in open(sys.argv[1], 'r')]
label_list = [json.loads(q)['label'] for q in open(sys.argv[2], 'r')]

for answer in answers:
    text = answer['answer']
    # Only keep the first sentence
    if text.find('.') != -1:
        text = text.split('.')[0]
    text = text.replace(',', '')
    words = text.split(' ')
    if 'No' in words or 'not' in words or 'no' in words:
        answer['answer'] = 'no'
    else:
        answer['answer'] = 'yes'

for i in range(len(label_list)):
    if label_list[i] == 'no':
        label_list[i] = 0
    else:
        label_list[i] = 1

pred_list = []
for answer in answers:
    if answer['answer'] == 'no':
        pred_list.append(0)
    else:
        pred_list.append(1)

pos = 1
neg = 0
yes_ratio = pred_list.count(1) / len(pred_list)

TP, TN, FP, FN = 0, 0, 0, 0
for pred, label in zip(pred_list, label_list):
    if pred == pos and label == pos:
        TP += 1
    elif pred == pos and label == neg:
        FP += 1
    elif pred == neg and label == neg:
        TN += 1
    elif pred == neg and label == pos:
        FN += 1


def div(a, b):
    return float('nan') if b == 0 else float(a) / float(b)


precision = div(TP, TP + FP)
recall = div(TP, TP + FN)
f1 = div(2 * precision * recall, precision + recall)
acc = div(TP + TN, TP + TN + FP + FN)
print(TP, FP, TN, FN, repr(acc), repr(precision), repr(recall), repr(f1), repr(yes_ratio))
