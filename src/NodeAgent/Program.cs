using Microsoft.Extensions.Hosting;
using NovaCron.NodeAgent;

var builder = NodeAgentHost.CreateBuilder(args);
await builder.Build().RunAsync();
