using NovaCron.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddNovaCronControlPlane();

var app = builder.Build();
await app.PrepareNovaCronAsync();
app.MapNovaCron();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the real application.</summary>
public partial class Program;
