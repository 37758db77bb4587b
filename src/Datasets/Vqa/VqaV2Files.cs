namespace LvlmEval.Datasets.Vqa;

/// <summary>One entry of <c>questions[]</c> in <c>v2_OpenEnded_mscoco_{split}_questions.json</c>; null fields were missing or mistyped.</summary>
internal sealed record VqaQuestion(long? ImageId, string? Question, long? QuestionId);

/// <summary>One entry of <c>annotations[]</c> in <c>v2_mscoco_{split}_annotations.json</c>, with its human answers (null where an answer lacks "answer").</summary>
internal sealed record VqaAnnotation(long? QuestionId, long? ImageId, string? QuestionType, string? AnswerType, string? MultipleChoiceAnswer, string?[]? Answers);
