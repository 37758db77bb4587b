namespace LvlmEval.Common;

/// <summary>A bad explainer or metric parameter; the message names the owner, the key, the bad value and the valid choices.</summary>
public sealed class ParameterException(string message) : Exception(message);
