using System;
using System.IO;
using NnGen.Data;

namespace NnGen.Tests.Assessment;

public sealed class CsvTests : TempDirectoryTest
{
    private static Dataset Load(string text, CsvOptions? options = null) => Csv.Load(new StringReader(text), "data.csv", options);

    private static string Error(string text, CsvOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => Load(text, options)).Message;

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
    public void Without_a_header_the_first_column_is_the_label_and_features_can_be_scaled()
    {
        Dataset d = Load("2,255,0\n0,51,102\n", new CsvOptions { FeatureScale = 1f / 255 });
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
        Assert.Equal("data.csv, line 2: 4 columns, but line 1 has 3.", Error("1,2,3\n1,2,3,4\n"));
    }

    [Fact]
    public void A_cell_that_is_not_a_number_names_line_column_and_header()
    {
        Assert.Equal("data.csv, line 3, column 2 ('pixel1'): 'abc' is not a number.", Error("label,pixel1\n0,1\n1,abc\n"));
        Assert.Equal("data.csv, line 2, column 3: the cell is empty; expected a number.", Error("0,1,2\n1,2,\n"));
        Assert.Equal("data.csv, line 1, column 1: '2.5' is not a class index (a whole number from 0 to 255).", Error("2.5,1\n"));
        Assert.Equal("data.csv, line 2, column 1: class 3 is out of range for 3 classes (expected 0 to 2).",
            Error("0,1\n3,1\n", new CsvOptions { Classes = 3 }));
    }

    [Fact]
    public void Structural_errors_say_what_is_wrong()
    {
        Assert.Equal("data.csv: no data rows after the header; expected one sample per line.", Error("label,a\n"));
        Assert.Equal("data.csv, line 1: no column is named 'y'; the header has 2 columns: label, a.",
            Error("label,a\n1,2\n", new CsvOptions { LabelColumnName = "y" }));
        Assert.Equal("data.csv, line 2, column 2: the quote opened at character 3 is not closed.", Error("0,1\n1,\"2\n"));
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
}
