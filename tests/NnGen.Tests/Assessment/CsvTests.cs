using System;
using System.IO;
using NnGen.Data;

namespace NnGen.Tests.Assessment;

public sealed class CsvTests : TempDirectoryTest
{
    private static Dataset Load(string text, CsvOptions? options = null) => Csv.Load(new StringReader(text), "data.csv", options);

    private static string Error(string text, CsvOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => Load(text, options)).Message;

    private static readonly CsvOptions Label0 = new() { LabelColumn = 0 };

    private static Dataset Regression(string text, CsvOptions options) => Csv.LoadRegression(new StringReader(text), "data.csv", options);

    private static string RegressionError(string text, CsvOptions options) =>
        Assert.Throws<InvalidDataException>(() => Regression(text, options)).Message;

    [Fact]
    public void A_header_is_detected_and_the_label_column_found_by_name()
    {
        Dataset d = Load("x1,label,x2\n0.5,1,2\n\n-1e-1, 0 ,\"3\"\n");
        Assert.Equal(2, d.Count);
        Assert.Equal(2, d.FeatureSize);
        Assert.Equal(2, d.Classes);
        Assert.Equal([0.5f, 2f, -0.1f, 3f], d.Features);
        Assert.Equal([(byte)1, 0], d.Labels);
    }

    [Fact]
    public void Without_a_header_the_label_column_is_given_and_features_can_be_scaled()
    {
        Dataset d = Load("2,255,0\n0,51,102\n", new CsvOptions { FeatureScale = 1f / 255, LabelColumn = 0 });
        Assert.Equal([(byte)2, 0], d.Labels);
        Assert.Equal(3, d.Classes);
        Assert.Equal(1f, d.Features[0], 6);
        Assert.Equal(0.4f, d.Features[3], 6);
    }

    [Fact]
    public void The_label_column_can_be_given_by_index_or_by_name_and_the_class_count_fixed()
    {
        Dataset byIndex = Load("1;2;0\n3;4;1\n", new CsvOptions { Separator = ';', LabelColumn = 2, Classes = 10 });
        Assert.Equal([1f, 2f, 3f, 4f], byIndex.Features);
        Assert.Equal(10, byIndex.Classes);
        Dataset byName = Load("a,\"the \"\"class\"\"\"\n5,1\n", new CsvOptions { LabelColumnName = "the \"class\"" });
        Assert.Equal([5f], byName.Features);
        Assert.Equal([(byte)1], byName.Labels);
    }

    [Fact]
    public void A_ragged_row_names_its_line_and_the_expected_count()
    {
        Assert.Equal("data.csv, line 4: 2 columns, but the header has 3.", Error("label,a,b\n1,2,3\n0,1,1\n1,2\n"));
        Assert.Equal("data.csv, line 2: 4 columns, but line 1 has 3.", Error("1,2,3\n1,2,3,4\n", Label0));
    }

    [Fact]
    public void A_cell_that_is_not_a_number_names_line_column_and_header()
    {
        Assert.Equal("data.csv, line 3, column 2 ('pixel1'): 'abc' is not a number.", Error("label,pixel1\n0,1\n1,abc\n"));
        Assert.Equal("data.csv, line 2, column 3: the cell is empty; expected a number.", Error("0,1,2\n1,2,\n", Label0));
        Assert.Equal("data.csv, line 1, column 1: '2.5' is not a class index (a whole number from 0 to 255).", Error("2.5,1\n", Label0));
        Assert.Equal("data.csv, line 1, column 1: '256' is not a class index (a whole number from 0 to 255).", Error("256,1\n", Label0));
        Assert.Equal("data.csv, line 2, column 1: class 3 is out of range for 3 classes (expected 0 to 2).",
            Error("0,1\n3,1\n", Label0 with { Classes = 3 }));
    }

    [Fact]
    public void Structural_errors_say_what_is_wrong()
    {
        Assert.Equal("data.csv: no data rows after the header; expected one sample per line.", Error("label,a\n"));
        Assert.Equal("data.csv: no column is named 'y'; the header has 2 columns: label, a.",
            Error("label,a\n1,2\n", new CsvOptions { LabelColumnName = "y" }));
        Assert.Equal("data.csv, line 2, column 2: the quote opened at character 3 is not closed.", Error("0,1\n1,\"2\n", Label0));
        Assert.Equal("data.csv: label column 5 is out of range; the rows have 2 columns (0 to 1).",
            Error("0,1\n", new CsvOptions { LabelColumn = 5 }));
    }

    [Fact]
    public void Features_only_skip_a_named_label_column_and_a_missing_file_is_named()
    {
        string path = Path.Combine(Dir, "x.csv");
        File.WriteAllText(path, "a,label,b\n1,9,2\n");
        Assert.Equal([1f, 2f], Csv.LoadFeatures(path, out int size));
        Assert.Equal(2, size);
        File.WriteAllText(path, "1,9,2\n");
        Assert.Equal([1f, 9f, 2f], Csv.LoadFeatures(path, out size));
        string missing = Path.Combine(Dir, "missing.csv");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => Csv.Load(missing)).Message);
    }

    [Fact]
    public void Without_a_label_header_or_option_the_label_column_is_not_guessed()
    {
        Assert.Equal("data.csv: which column is the label? The file has no header, so none is named 'label'; set CsvOptions.LabelColumn (a 0-based index).",
            Error("1,2,3\n0,1,1\n"));
        Assert.Equal("data.csv: which column is the label? The header has no column named 'label' (2 columns: a, b); set CsvOptions.LabelColumnName or LabelColumn.",
            Error("a,b\n1,2\n"));
        Assert.Equal("data.csv, line 1: every column is a label or target; expected feature columns too.", Error("label\n1\n"));
    }

    [Fact]
    public void A_first_row_mixing_numbers_and_other_cells_is_an_error_not_a_header()
    {
        Assert.Equal("data.csv: line 1 has numeric cells and the non-numeric 'O.5' in column 3: set HasHeader = true if it is a header, or fix the cell.",
            Error("1,0.2,O.5\n0,0.1,0.4\n", Label0));
        Assert.Equal("data.csv: line 2 has numeric cells and an empty cell in column 2: set HasHeader = true if it is a header, or fix the cell.",
            Error("\n1,,0.5\n0,0.1,0.4\n", Label0));
        Dataset forced = Load("label,1,2\n0,3,4\n", new CsvOptions { HasHeader = true });
        Assert.Equal([3f, 4f], forced.Features);
        Dataset noHeader = Load("0,3,4\n1,5,6\n", Label0 with { HasHeader = false });
        Assert.Equal(2, noHeader.Count);
        Assert.Equal("data.csv, line 1, column 1: 'label' is not a class index (a whole number from 0 to 255).",
            Error("label,a\n0,1\n", Label0 with { HasHeader = false }));
    }

    [Fact]
    public void Values_must_be_finite_before_and_after_scaling()
    {
        Assert.Equal("data.csv, line 3, column 2 ('a'): '1e36' times the feature scale 1000 is Infinity, not a finite float.",
            Error("label,a\n0,1\n1,1e36\n", new CsvOptions { FeatureScale = 1000 }));
        Assert.Equal("data.csv, line 2, column 2 ('a'): '-1e39' is not a finite float (the largest is 3.4028235E+38).",
            Error("label,a\n1,-1e39\n"));
        Assert.Equal("data.csv, line 2, column 2 ('a'): 'NaN' is not a finite float (the largest is 3.4028235E+38).",
            Error("label,a\n1,NaN\n"));
        Assert.Equal([3.4e38f * 0.5f], Load("label,a\n1,3.4e38\n", new CsvOptions { FeatureScale = 0.5f }).Features);
    }

    [Fact]
    public void Empty_files_header_only_files_and_duplicate_names_are_errors()
    {
        Assert.Equal("data.csv: no data rows; expected one sample per line.", Error(""));
        Assert.Equal("data.csv: no data rows; expected one sample per line.", Error("\n  \n"));
        Assert.Equal("data.csv, line 1: columns 1 ('a') and 3 ('A') have the same name (case is ignored); column names must differ.", Error("a,label,A\n1,0,2\n"));
        Assert.Equal("data.csv: the label column is named 'label', but the file has no header line.",
            Error("1,2\n", new CsvOptions { LabelColumnName = "label" }));
    }

    [Fact]
    public void Regression_targets_are_floats_from_named_or_indexed_columns()
    {
        Dataset byName = Regression("x,y,z,w\n1,2.5,3,-4\n5,6,7,8e-3\n", new CsvOptions { TargetColumnNames = ["w", "Y"], FeatureScale = 2 });
        Assert.True(byName.IsRegression);
        Assert.Equal(2, byName.Count);
        Assert.Equal(2, byName.TargetSize);
        Assert.Equal(2, byName.FeatureSize);
        Assert.Equal([2f, 6f, 10f, 14f], byName.Features);   // features scaled
        Assert.Equal([2.5f, -4f, 6f, 8e-3f], byName.Targets); // targets not, in column order
        Assert.Equal(0, byName.Classes);
        Assert.Throws<InvalidOperationException>(() => byName.Labels);

        Dataset byIndex = Regression("1,2,3\n4,5,6\n", new CsvOptions { TargetColumns = [1] });
        Assert.Equal([1f, 3f, 4f, 6f], byIndex.Features);
        Assert.Equal([2f, 5f], byIndex.Targets);
        Assert.Equal([5f], byIndex.Slice(1, 1).Targets);
    }

    [Fact]
    public void Bad_regression_targets_name_line_column_and_value()
    {
        var y = new CsvOptions { TargetColumnNames = ["y"] };
        Assert.Equal("data.csv, line 3, column 2 ('y'): '1e40' is not a finite float (the largest is 3.4028235E+38).", RegressionError("x,y\n1,2\n3,1e40\n", y));
        Assert.Equal("data.csv, line 2, column 2 ('y'): 'high' is not a number.", RegressionError("x,y\n1,high\n", y));
        Assert.Equal("data.csv: no column is named 'y'; the header has 2 columns: x, z.", RegressionError("x,z\n1,2\n", y));
        Assert.Equal("data.csv: the target columns are named ('y'), but the file has no header line.", RegressionError("1,2\n", y));
        Assert.Equal("data.csv: target column 2 is out of range; the rows have 2 columns (0 to 1).",
            RegressionError("1,2\n", new CsvOptions { TargetColumns = [2] }));
        Assert.Equal("data.csv: column 1 is given twice as a target.",
            RegressionError("x,y\n1,2\n", new CsvOptions { TargetColumnNames = ["x"], TargetColumns = [0] }));
        Assert.Equal("data.csv, line 1: every column is a label or target; expected feature columns too.",
            RegressionError("1\n", new CsvOptions { TargetColumns = [0] }));
        var e = Assert.Throws<ArgumentException>(() => Regression("1,2\n", new CsvOptions()));
        Assert.Equal("options", e.ParamName);
        Assert.StartsWith("Name the regression target columns: set TargetColumnNames or TargetColumns.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Load("1,2\n", new CsvOptions { TargetColumns = [0] }));
        Assert.Equal("options", e.ParamName);
        Assert.StartsWith("Target columns are for Csv.LoadRegression;", e.Message);
        Assert.Equal("data.csv: the target columns are named ('y', 'z'), but the file has no header line.",
            RegressionError("1,2,3\n", new CsvOptions { TargetColumnNames = ["y", "z"] }));
    }

    [Fact]
    public void Features_only_skip_the_target_columns_the_options_name()
    {
        string path = Path.Combine(Dir, "r.csv");
        File.WriteAllText(path, "x,y,z\n1,9,2\n");
        Assert.Equal([1f, 2f], Csv.LoadFeatures(path, out int size, new CsvOptions { TargetColumnNames = ["y"] }));
        Assert.Equal(2, size);
        Assert.Equal([9f], Csv.LoadRegression(path, new CsvOptions { TargetColumns = [0, 2] }).Features);
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_value()
    {
        string Message(CsvOptions o) => Assert.Throws<ArgumentException>(() => Load("0,1\n", o)).Message;
        Assert.StartsWith("The separator cannot be '\"'.", Message(Label0 with { Separator = '"' }));
        Assert.StartsWith("The separator cannot be U+000A.", Message(Label0 with { Separator = '\n' }));
        Assert.StartsWith("The separator cannot be U+000D.", Message(Label0 with { Separator = '\r' }));
        Assert.StartsWith("The feature scale must be a finite number other than 0, but it is 0.", Message(Label0 with { FeatureScale = 0 }));
        Assert.StartsWith("The feature scale must be a finite number other than 0, but it is NaN.", Message(Label0 with { FeatureScale = float.NaN }));
        Assert.StartsWith("Classes must be from 1 to 256 (labels are bytes), but it is 0.", Message(Label0 with { Classes = 0 }));
        Assert.StartsWith("Classes must be from 1 to 256 (labels are bytes), but it is 257.", Message(Label0 with { Classes = 257 }));
        Assert.Equal(1, Load("0,1\n", Label0 with { Classes = 1 }).Classes);
        Assert.Equal(256, Load("255,1\n", Label0 with { Classes = 256 }).Classes);
    }

    [Fact]
    public void The_class_count_defaults_to_the_largest_label_plus_one_and_at_least_two()
    {
        Assert.Equal(2, Load("0,1\n0,2\n", Label0).Classes);
        Assert.Equal(2, Load("1,1\n0,2\n", Label0).Classes);
        Assert.Equal(8, Load("7,1\n0,2\n", Label0).Classes);
        Assert.Equal("data.csv, line 1, column 1: class 1 is out of range for 1 classes (expected 0 to 0).",
            Error("1,1\n0,2\n", Label0 with { Classes = 1 }));
    }

    [Fact]
    public void Quoted_fields_may_hold_the_separator_and_spaces_but_nothing_after_the_closing_quote()
    {
        Dataset d = Load("label,\"a,b\"\n \"1\" , \" 2.5 \"\n", new CsvOptions { LabelColumnName = "label" });
        Assert.Equal([2.5f], d.Features);
        Assert.Equal([(byte)1], d.Labels);
        Assert.Equal("data.csv, line 1, column 1: unexpected 'x' after the closing quote at character 4.", Error("\"1\"x,2\n", Label0));
        Assert.Equal("data.csv, line 1, column 2: unexpected U+0009 after the closing quote at character 6.", Error("0,\"1\"\t\n", Label0));
        Assert.Equal("data.csv, line 2, column 1: the quote opened at character 2 is not closed.", Error("0,1\n \"1,2\n", Label0));
    }

    [Fact]
    public void A_trailing_separator_is_an_empty_last_cell_and_a_single_column_row_is_counted_singular()
    {
        Assert.Equal("data.csv, line 1, column 3: the cell is empty; expected a number.", Error("0,1,\n0,1,2\n", Label0 with { HasHeader = false }));
        Assert.Equal("data.csv, line 2: 1 column, but line 1 has 2.", Error("0,1\n0\n", Label0));
        Assert.Equal("data.csv, line 3: 3 columns, but the header has 2.", Error("label,a\n0,1\n0,1,2\n"));
    }

    [Fact]
    public void Long_headers_are_shortened_in_messages_after_eight_columns()
    {
        Assert.Equal("data.csv: no column is named 'y'; the header has 8 columns: a, b, c, d, e, f, g, h.",
            Error("a,b,c,d,e,f,g,h\n1,2,3,4,5,6,7,8\n", new CsvOptions { LabelColumnName = "y" }));
        Assert.Equal("data.csv: no column is named 'y'; the header has 9 columns: a, b, c, d, e, f, ..., i.",
            Error("a,b,c,d,e,f,g,h,i\n1,2,3,4,5,6,7,8,9\n", new CsvOptions { LabelColumnName = "y" }));
    }

    [Fact]
    public void Column_indices_are_checked_at_both_ends()
    {
        Assert.Equal("data.csv: label column -1 is out of range; the rows have 2 columns (0 to 1).", Error("0,1\n", new CsvOptions { LabelColumn = -1 }));
        Assert.Equal("data.csv: label column 2 is out of range; the rows have 2 columns (0 to 1).", Error("0,1\n", new CsvOptions { LabelColumn = 2 }));
        Assert.Equal([(byte)1], Load("0,1\n", new CsvOptions { LabelColumn = 1 }).Labels);
        Assert.Equal("data.csv: target column -1 is out of range; the rows have 2 columns (0 to 1).",
            RegressionError("0,1\n", new CsvOptions { TargetColumns = [-1] }));
        Assert.Equal([1f], Regression("0,1\n", new CsvOptions { TargetColumns = [1] }).Targets);
        Assert.Equal("data.csv: column 2 is given twice as a target.", RegressionError("0,1,2\n", new CsvOptions { TargetColumns = [1, 2, 1] }));
    }

    [Fact]
    public void A_first_row_starting_with_a_non_number_names_that_cell()
    {
        Assert.Equal("data.csv: line 1 has numeric cells and the non-numeric 'x' in column 1: set HasHeader = true if it is a header, or fix the cell.",
            Error("x,1,2\n0,1,2\n", Label0));
        Assert.Equal("data.csv: line 1 has numeric cells and the non-numeric 'y' in column 2: set HasHeader = true if it is a header, or fix the cell.",
            Error("1,y,z\n0,1,2\n", Label0));
        Assert.Equal("data.csv: line 1 has numeric cells and the non-numeric 'x' in column 1: set HasHeader = true if it is a header, or fix the cell.",
            Error("x,1,y\n0,1,2\n", Label0));
    }

    [Fact]
    public void Files_are_read_from_disk_for_every_kind_of_load()
    {
        string path = Path.Combine(Dir, "d.csv");
        File.WriteAllText(path, "x,label,y\n1,2,3\n4,0,6\n");
        Dataset classified = Csv.Load(path);
        Assert.Equal([1f, 3f, 4f, 6f], classified.Features);
        Assert.Equal([(byte)2, 0], classified.Labels);
        Dataset regression = Csv.LoadRegression(path, new CsvOptions { TargetColumnNames = ["y"] });
        Assert.Equal([1f, 2f, 4f, 0f], regression.Features);
        Assert.Equal([3f, 6f], regression.Targets);
        Assert.Equal([2f, 3f, 0f, 6f], Csv.LoadFeatures(path, out int size, new CsvOptions { LabelColumn = 0 }));
        Assert.Equal(2, size);
        string bad = Write("bad.csv", "label,a\n1,x\n");
        Assert.StartsWith($"{bad}, line 2, column 2 ('a')", Assert.Throws<InvalidDataException>(() => Csv.Load(bad)).Message);
        string missing = Path.Combine(Dir, "none.csv");
        var e = Assert.Throws<FileNotFoundException>(() => Csv.LoadRegression(missing, new CsvOptions { TargetColumns = [0] }));
        Assert.Equal($"CSV file not found: {missing}", e.Message);
        Assert.Equal(missing, e.FileName);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Features_only_read_rows_without_any_label_and_skip_a_label_that_is_also_a_target()
    {
        string path = Write("f.csv", "a,b\n1,2\n");
        Assert.Equal([1f, 2f], Csv.LoadFeatures(path, out int size));
        Assert.Equal(2, size);
        Assert.Equal([2f], Csv.LoadFeatures(path, out size, new CsvOptions { LabelColumn = 0, TargetColumns = [0] }));
        Assert.Equal(1, size);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Csv.Load((string)null!));
        Assert.Throws<ArgumentNullException>(() => Csv.Load((TextReader)null!, "x"));
        Assert.Throws<ArgumentNullException>(() => Csv.LoadRegression(new StringReader("1,2\n"), "x", null!));
    }
}
