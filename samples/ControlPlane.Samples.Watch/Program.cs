using ControlPlane.Samples.Watch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A hosted console app: configuration from appsettings, environment and the command line, Ctrl-C to stop.
//   dotnet run --project samples/ControlPlane.Samples.Watch -- --Sample:Kind=Goal --Sample:Namespace=team
// The client connects to ControlPlane:Client:Endpoints (default: the local cluster on 127.0.0.1:7101-7103).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddControlPlaneClient(options => builder.Configuration.GetSection("ControlPlane:Client").Bind(options));
builder.Services.AddOptions<SampleOptions>().Bind(builder.Configuration.GetSection(SampleOptions.Section));
builder.Services.AddHostedService<InformerWorker>();
await builder.Build().RunAsync();
