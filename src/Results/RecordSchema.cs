using System.Linq.Expressions;
using System.Reflection;
using Parquet.Schema;

namespace LvlmEval.Results;

/// <summary>
/// How a record type maps to Parquet columns: every public readable property (in declaration order) becomes a
/// column named in snake_case; nullability comes from
/// Nullable&lt;T&gt; and from nullable reference annotations on strings; float[] becomes list&lt;float&gt;.
/// </summary>
internal sealed class RecordSchema<T>
{
    private static readonly Lazy<RecordSchema<T>> Shared = new(() => new RecordSchema<T>());
    private readonly Func<Array[], int, T> _construct;

    public static RecordSchema<T> Instance => Shared.Value;

    private RecordSchema()
    {
        var nullability = new NullabilityInfoContext();
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .ToArray();
        if (properties.Length == 0) throw new ArgumentException($"{typeof(T).Name} has no public properties to store as Parquet columns.");
        Columns = properties.Select(p => RecordColumn<T>.Create(p,
            ColumnNames.ToSnakeCase(p.Name),
            nullableString: p.PropertyType == typeof(string) && nullability.Create(p).ReadState != NullabilityState.NotNull)).ToArray();
        var duplicate = Columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"{typeof(T).Name} maps two properties to column '{duplicate.Key}'.");
        Schema = new ParquetSchema(Columns.Select(c => c.Field));
        _construct = BuildConstructor(properties);
    }

    /// <summary>The Parquet.Net schema written for <typeparamref name="T"/>.</summary>
    public ParquetSchema Schema { get; }

    public RecordColumn<T>[] Columns { get; }

    /// <summary>Builds the record at <paramref name="row"/> from one value array per column (in <see cref="Columns"/> order).</summary>
    public T Construct(Array[] columns, int row) => _construct(columns, row);

    /// <summary>
    /// Uses a constructor whose parameters all name properties (positional records), else the parameterless
    /// constructor plus setters; either way compiled once to a delegate.
    /// </summary>
    private static Func<Array[], int, T> BuildConstructor(PropertyInfo[] properties)
    {
        var columnsParam = Expression.Parameter(typeof(Array[]), "columns");
        var rowParam = Expression.Parameter(typeof(int), "row");
        Expression ValueOf(int column) => Expression.ArrayIndex(
            Expression.Convert(Expression.ArrayIndex(columnsParam, Expression.Constant(column)), properties[column].PropertyType.MakeArrayType()),
            rowParam);
        int IndexOfProperty(string name) => Array.FindIndex(properties, p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        var ctor = typeof(T).GetConstructors()
            .Where(c => c.GetParameters().Length > 0 && c.GetParameters().All(a => IndexOfProperty(a.Name!) >= 0
                && properties[IndexOfProperty(a.Name!)].PropertyType == a.ParameterType))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        Expression body;
        if (ctor is not null)
        {
            var parameters = ctor.GetParameters();
            var bound = parameters.Select(a => IndexOfProperty(a.Name!)).ToHashSet();
            var created = Expression.New(ctor, parameters.Select(a => ValueOf(IndexOfProperty(a.Name!))));
            var setters = Enumerable.Range(0, properties.Length).Where(i => !bound.Contains(i) && properties[i].CanWrite)
                .Select(i => (MemberBinding)Expression.Bind(properties[i], ValueOf(i))).ToArray();
            body = setters.Length == 0 ? created : Expression.MemberInit(created, setters);
        }
        else
        {
            if (typeof(T).GetConstructor(Type.EmptyTypes) is null && !typeof(T).IsValueType)
                throw new ArgumentException($"{typeof(T).Name} needs a parameterless constructor or one whose parameters match its properties to be read from Parquet.");
            var unwritable = properties.FirstOrDefault(p => !p.CanWrite);
            if (unwritable is not null) throw new ArgumentException($"{typeof(T).Name}.{unwritable.Name} has no setter and no constructor parameter.");
            body = Expression.MemberInit(Expression.New(typeof(T)),
                properties.Select((p, i) => (MemberBinding)Expression.Bind(p, ValueOf(i))));
        }
        return Expression.Lambda<Func<Array[], int, T>>(body, columnsParam, rowParam).Compile();
    }
}
