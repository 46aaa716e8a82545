using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Common;

namespace NovaCron.Web.Components.Shared;

/// <summary>What every form dialog does on submit: check the form's own rules, call the handler once at a time, close
/// with its result, or keep the dialog open showing the handler's refusal. Dialogs inherit it with
/// <c>@inherits FormDialog</c> and bind <c>@ref="Form"</c>, <see cref="ServerError"/> and <see cref="Submitting"/>.</summary>
public abstract class FormDialog : ComponentBase
{
    /// <summary>The dialog's form; null when the dialog has no fields to check.</summary>
    protected MudForm? Form;

    [CascadingParameter]
    public IMudDialogInstance? Dialog { get; set; }

    /// <summary>The handler's refusal, shown inside the open dialog.</summary>
    protected string? ServerError { get; private set; }

    /// <summary>True while the handler runs; the submit button is disabled meanwhile.</summary>
    protected bool Submitting { get; private set; }

    protected void Cancel() => Dialog?.Cancel();

    protected async Task SubmitFormAsync<T>(Func<Task<Result<T>>> submit)
    {
        ServerError = null;
        if (Form is not null)
        {
            await Form.ValidateAsync();
            if (!Form.IsValid)
            {
                return;
            }
        }

        Submitting = true;
        try
        {
            var result = await submit();
            if (result.IsSuccess)
            {
                Dialog?.Close(DialogResult.Ok(result.Value!));
            }
            else
            {
                ServerError = result.Error!.Message;
            }
        }
        finally
        {
            Submitting = false;
        }
    }
}
