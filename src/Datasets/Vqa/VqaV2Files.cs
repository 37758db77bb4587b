using System.Text.Json.Serialization;

namespace LvlmEval.Datasets.Vqa;

/// <summary><c>v2_OpenEnded_mscoco_{split}_questions.json</c>.</summary>
internal sealed record VqaQuestionFile([property: JsonPropertyName("questions")] List<VqaQuestion>? Questions);

/// <summary>One entry of <c>questions[]</c>.</summary>
internal sealed record VqaQuestion(
    [property: JsonPropertyName("image_id")] long? ImageId,
    [property: JsonPropertyName("question")] string? Question,
    [property: JsonPropertyName("question_id")] long? QuestionId);

/// <summary><c>v2_mscoco_{split}_annotations.json</c>.</summary>
internal sealed record VqaAnnotationFile([property: JsonPropertyName("annotations")] List<VqaAnnotation>? Annotations);

/// <summary>One entry of <c>annotations[]</c>, with its 10 human answers.</summary>
internal sealed record VqaAnnotation(
    [property: JsonPropertyName("question_id")] long? QuestionId,
    [property: JsonPropertyName("image_id")] long? ImageId,
    [property: JsonPropertyName("question_type")] string? QuestionType,
    [property: JsonPropertyName("answer_type")] string? AnswerType,
    [property: JsonPropertyName("multiple_choice_answer")] string? MultipleChoiceAnswer,
    [property: JsonPropertyName("answers")] List<VqaAnswer>? Answers);

/// <summary>One human answer.</summary>
internal sealed record VqaAnswer(
    [property: JsonPropertyName("answer")] string? Answer,
    [property: JsonPropertyName("answer_confidence")] string? AnswerConfidence,
    [property: JsonPropertyName("answer_id")] int? AnswerId);
