using System.Drawing;
using Moonflow.Application.Processes.Uploads;
using OfficeOpenXml;
using OfficeOpenXml.Style;

namespace Moonflow.Infrastructure.Processes.Uploads;

/// <summary>EPPlus template: a header row (required columns highlighted), drop-down lists, an example row, and an instructions sheet.</summary>
internal sealed class ImportTemplateWriter : IImportTemplateWriter
{
    private const int RowsWithDropDowns = 10_000;

    public void Write(Stream output, ImportTemplate template, bool english)
    {
        var columns = template.Columns;
        using var package = new ExcelPackage();
        var data = package.Workbook.Worksheets.Add(template.SheetName.In(english));
        var help = package.Workbook.Worksheets.Add(english ? "Instructions" : "Instrucciones");

        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var header = data.Cells[1, i + 1];
            header.Value = english ? column.HeaderEn : column.HeaderEs;
            header.Style.Font.Bold = true;
            header.Style.Fill.PatternType = ExcelFillStyle.Solid;
            header.Style.Fill.BackgroundColor.SetColor(column.Required ? Color.FromArgb(255, 221, 235, 247) : Color.FromArgb(255, 242, 242, 242));
            header.AddComment(english ? column.DescriptionEn : column.DescriptionEs, "Moonflow");
            data.Column(i + 1).Width = Math.Max(16, header.Text.Length + 4);

            if (column.AllowedValues is { Count: > 0 } allowed)
            {
                var list = data.DataValidations.AddListValidation(data.Cells[2, i + 1, RowsWithDropDowns + 1, i + 1].Address);
                foreach (var value in allowed)
                {
                    list.Formula.Values.Add(value);
                }

                list.ShowErrorMessage = true;
                list.ErrorTitle = english ? "Value not in the list" : "Valor fuera de la lista";
                list.Error = english ? $"Choose one of: {string.Join(", ", allowed)}" : $"Elige uno de: {string.Join(", ", allowed)}";
            }
        }

        data.View.FreezePanes(2, 1);
        WriteInstructions(help, columns, template.Note.In(english), english);
        package.SaveAs(output);
    }

    private static void WriteInstructions(ExcelWorksheet help, IReadOnlyList<ImportColumn> columns, string note, bool english)
    {
        string[] headers = english
            ? ["Column", "Required", "What to write", "Accepted values", "Example"]
            : ["Columna", "Obligatoria", "Qué escribir", "Valores aceptados", "Ejemplo"];
        for (var c = 0; c < headers.Length; c++)
        {
            help.Cells[1, c + 1].Value = headers[c];
            help.Cells[1, c + 1].Style.Font.Bold = true;
        }

        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var row = i + 2;
            help.Cells[row, 1].Value = english ? column.HeaderEn : column.HeaderEs;
            help.Cells[row, 2].Value = column.Required ? (english ? "Yes" : "Sí") : "No";
            help.Cells[row, 3].Value = english ? column.DescriptionEn : column.DescriptionEs;
            help.Cells[row, 4].Value = column.AllowedValues is { } values ? string.Join(", ", values) : string.Empty;
            help.Cells[row, 5].Value = column.Example;
        }

        help.Cells[columns.Count + 3, 1].Value = note;
        help.Column(1).Width = 24;
        help.Column(2).Width = 12;
        help.Column(3).Width = 70;
        help.Column(4).Width = 45;
        help.Column(5).Width = 24;
        help.Column(3).Style.WrapText = true;
    }
}
