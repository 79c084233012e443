using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Core.Resources;
using ControlPlane.Core.Validation;

namespace ControlPlane.Core.Tests.Validation;

public class ObjectValidatorTests
{
    /// <summary>The nesting limit ParseDocument documents in its messages.</summary>
    private const int MaxDepth = 64;

    /// <summary>An object through <see cref="ObjectValidator.ParseDocument"/>, read back as a tree for the assertions.</summary>
    private static JsonObject ParseObject(ReadOnlySpan<byte> json, string what = "object")
    {
        using var document = ObjectValidator.ParseDocument(json.ToArray(), what);
        return JsonObject.Create(document.RootElement.Clone())!;
    }

    [Fact]
    public void ParseDocument_Object_ReturnsItsMembers()
    {
        var obj = ParseObject(TestJson.Utf8("{'a':1,'b':{'c':['d']}}"));

        TestJson.Equal(TestJson.Parse("{'a':1,'b':{'c':['d']}}"), obj);
    }

    /// <summary>The exponents .NET can compare (probed: up to nine significant digits; leading zeros do not count).</summary>
    [Theory]
    [InlineData("1e999999999")]
    [InlineData("-2.5E-999999999")]
    [InlineData("1e0000000000000000001")]
    [InlineData("1e+000999999999")]
    public void CheckTokens_ExponentWithinNineDigits_Accepted(string number)
    {
        ObjectValidator.CheckTokens(Encoding.UTF8.GetBytes("{\"n\":" + number + "}"), "object");
        using var document = System.Text.Json.JsonDocument.Parse("[" + number + "," + number + "]");
        Assert.True(System.Text.Json.JsonElement.DeepEquals(document.RootElement[0], document.RootElement[1]));
    }

    [Theory]
    [InlineData("1e1000000000")]
    [InlineData("1E-2147483648")]
    [InlineData("0.5e+99999999999")]
    public void CheckTokens_ExponentBeyondNineDigits_ThrowsInvalidNamingIt(string number)
    {
        InvalidAssert.Throws(() => ObjectValidator.CheckTokens(Encoding.UTF8.GetBytes("{\"n\":" + number + "}"), "object"), "object has a number with an exponent beyond ±999,999,999");
    }

    [Theory]
    [InlineData("[1,2]", "got an array")]
    [InlineData("'text'", "got a string")]
    [InlineData("42", "got a number")]
    [InlineData("-1.5e3", "got a number")]
    [InlineData("true", "got a boolean")]
    [InlineData("null", "got null")]
    public void ParseDocument_JsonThatIsNotAnObject_ThrowsInvalidNamingWhatItGot(string json, string got)
    {
        InvalidAssert.Throws(() => ParseObject(TestJson.Utf8(json)), "object must be a JSON object", got);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("{'a':}")]
    [InlineData("{'a':1,}")]
    [InlineData("{'a':1} trailing")]
    [InlineData("{a:1}")]
    [InlineData("{'a':1} // comment")]
    public void ParseDocument_NotJson_ThrowsInvalid(string text)
    {
        InvalidAssert.Throws(() => ParseObject(TestJson.Utf8(text)), "object is not valid JSON");
    }

    [Fact]
    public void ParseDocument_What_IsUsedInTheMessage()
    {
        InvalidAssert.Throws(() => ParseObject("[]"u8, "patch"), "patch must be a JSON object, got an array");
        InvalidAssert.Throws(() => ParseObject("{"u8, "patch"), "patch is not valid JSON");
    }

    [Theory]
    [InlineData("{'a':1,'a':2}", "'a'")]
    [InlineData("{'metadata':{'name':'x','name':'y'}}", "'name'")]
    [InlineData("{'a':[{'b':1,'b':1}]}", "'b'")]
    public void ParseDocument_DuplicateMemberName_ThrowsInvalidNamingTheMember(string json, string member)
    {
        InvalidAssert.Throws(() => ParseObject(TestJson.Utf8(json)), "not valid JSON", member);
    }

    [Fact]
    public void ParseDocument_InvalidUtf8InStringValue_ThrowsInvalid()
    {
        byte[] json = [.. "{\"a\":\""u8, 0xC3, .. "\"}"u8];

        InvalidAssert.Throws(() => ParseObject(json), "undecodable string");
    }

    [Fact]
    public void ParseDocument_InvalidUtf8InMemberName_ThrowsInvalid()
    {
        byte[] json = [.. "{\"metadata\":{\"labels\":{\""u8, 0xFF, .. "\":\"x\"}}}"u8];

        InvalidAssert.Throws(() => ParseObject(json), "undecodable member name");
    }

    [Theory]
    [InlineData("{'a':'\\ud800'}", "string")]
    [InlineData("{'a':'x\\udc00y'}", "string")]
    [InlineData("{'\\ud800':1}", "member name")]
    public void ParseDocument_UnpairedSurrogateEscape_ThrowsInvalid(string json, string token)
    {
        InvalidAssert.Throws(() => ParseObject(TestJson.Utf8(json)), "undecodable " + token);
    }

    [Fact]
    public void ParseDocument_PairedSurrogatesAndMultiByteText_AreAccepted()
    {
        var obj = ParseObject(TestJson.Utf8("{'a':'\\ud83d\\ude00 é 😀'}"));

        Assert.Equal("😀 é 😀", obj["a"]!.GetValue<string>());
    }

    [Fact]
    public void ParseDocument_NestedDeeperThanLimit_ThrowsInvalidNamingTheLimit()
    {
        var ok = "{\"a\":" + new string('[', MaxDepth - 1) + new string(']', MaxDepth - 1) + "}";
        var tooDeep = "{\"a\":" + new string('[', MaxDepth) + new string(']', MaxDepth) + "}";

        ParseObject(Encoding.UTF8.GetBytes(ok));
        InvalidAssert.Throws(() => ParseObject(Encoding.UTF8.GetBytes(tooDeep)), "not valid JSON", "64");
    }

    [Fact]
    public void Validate_NamespacedObject_ReturnsKeyAndLabels()
    {
        var obj = ParseObject(TestJson.Utf8(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'prod',"
            + "'labels':{'app':'web','example.com/tier':'front','empty':''},'annotations':{'note':'any text / é'}},"
            + "'spec':{'replicas':3},'status':{'ready':true},'extra':[1]}"));

        var (key, labels) = ObjectValidator.Validate(obj);

        Assert.Equal(new ResourceKey("apps", "v1", "Deployment", "prod", "web"), key);
        Assert.Equal(
            [new("app", "web"), new("empty", string.Empty), new("example.com/tier", "front")],
            labels.OrderBy(l => l.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_LabelsEqualToTheCurrentOnes_ReturnsTheCurrentInstance()
    {
        var obj = JsonSerializer.SerializeToElement(ParseObject(TestJson.Utf8(
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ns','labels':{'app':'web','tier':'front'}}}")));
        var current = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" }.ToFrozenDictionary(StringComparer.Ordinal);

        Assert.Same(current, ObjectValidator.Validate(obj, current).Labels);
    }

    [Theory]
    [InlineData("{'app':'web','tier':'back'}")]
    [InlineData("{'app':'web'}")]
    [InlineData("{'app':'web','tier':'front','zone':'a'}")]
    [InlineData("{'App':'web','tier':'front'}")]
    public void Validate_LabelsDifferingFromTheCurrentOnes_ReturnsTheNewLabels(string labels)
    {
        var obj = JsonSerializer.SerializeToElement(ParseObject(TestJson.Utf8(
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ns','labels':" + labels + "}}")));
        var current = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }.ToFrozenDictionary(StringComparer.Ordinal);

        var result = ObjectValidator.Validate(obj, current).Labels;

        Assert.NotSame(current, result);
        Assert.Equal(
            obj.GetProperty("metadata").GetProperty("labels").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).OrderBy(l => l.Key, StringComparer.Ordinal),
            result.OrderBy(l => l.Key, StringComparer.Ordinal));
    }

    /// <summary>The object as parsed, escapes and all.</summary>
    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(TestJson.Utf8(json).ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>
    /// An object naming the stored key comes back with that key, its names not read or checked again: a key the naming
    /// rules would refuse (only possible if they changed since it was stored) shows that the rules were not applied.
    /// </summary>
    [Theory]
    [InlineData("{'apiVersion':'apps.example.io/v1','kind':'Deployment','metadata':{'name':'Web_1','namespace':'prod'}}", "apps.example.io", "prod")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web_1'}}", "", "")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web_1','namespace':null}}", "", "")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web_1','namespace':''}}", "", "")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web\\u005f1'}}", "", "")]
    public void Validate_ObjectNamingTheStoredKey_ReturnsThatKeyWithoutCheckingItsNamesAgain(string json, string group, string ns)
    {
        var stored = new ResourceKey(group, "v1", "Deployment", ns, "Web_1");
        InvalidAssert.Throws(() => ObjectValidator.Validate(Element(json)), "metadata.name");

        var (key, _) = ObjectValidator.Validate(Element(json), storedKey: stored);

        Assert.Equal(stored, key);
    }

    /// <summary>An object naming anything else than the stored key is validated and keyed by its own names.</summary>
    [Theory]
    [InlineData("{'apiVersion':'apps.example.io/v2','kind':'Deployment','metadata':{'name':'web','namespace':'prod'}}", "apps.example.io", "v2", "Deployment", "prod", "web")]
    [InlineData("{'apiVersion':'example.io/v1','kind':'Deployment','metadata':{'name':'web','namespace':'prod'}}", "example.io", "v1", "Deployment", "prod", "web")]
    [InlineData("{'apiVersion':'apps.example.io/v1','kind':'StatefulSet','metadata':{'name':'web','namespace':'prod'}}", "apps.example.io", "v1", "StatefulSet", "prod", "web")]
    [InlineData("{'apiVersion':'apps.example.io/v1','kind':'Deployment','metadata':{'name':'api','namespace':'prod'}}", "apps.example.io", "v1", "Deployment", "prod", "api")]
    [InlineData("{'apiVersion':'apps.example.io/v1','kind':'Deployment','metadata':{'name':'web'}}", "apps.example.io", "v1", "Deployment", "", "web")]
    [InlineData("{'apiVersion':'apps.example.io/v1','kind':'Deployment','metadata':{'name':'web','namespace':'dev'}}", "apps.example.io", "v1", "Deployment", "dev", "web")]
    public void Validate_ObjectNamingAnotherKeyThanTheStoredOne_ReturnsItsOwnKey(string json, string group, string version, string kind, string ns, string name)
    {
        var stored = new ResourceKey("apps.example.io", "v1", "Deployment", "prod", "web");

        var (key, _) = ObjectValidator.Validate(Element(json), storedKey: stored);

        Assert.Equal(new ResourceKey(group, version, kind, ns, name), key);
    }

    /// <summary>A stored key does not excuse a bad name: an object that does not name it gets every check.</summary>
    [Theory]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web_2'}}", "metadata.name \"Web_2\"")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'web-1','namespace':7}}", "metadata.namespace must be a string")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web_1','uid':7}}", "metadata.uid must be a string")]
    [InlineData("{'apiVersion':'v1','kind':'Deployment','metadata':{'name':'Web_1','labels':{'a':1}}}", "labels")]
    public void Validate_WithAStoredKey_StillRefusesWhatIsInvalid(string json, string expected)
    {
        var stored = new ResourceKey(string.Empty, "v1", "Deployment", string.Empty, "Web_1");

        InvalidAssert.Throws(() => ObjectValidator.Validate(Element(json), storedKey: stored), expected);
    }

    [Fact]
    public void ValidateKey_ReturnsTheKeyValidateReturns()
    {
        var obj = Element("{'apiVersion':'apps.example.io/v1','kind':'Deployment','metadata':{'name':'web','namespace':'prod','labels':{'app':'web'}}}");

        Assert.Equal(ObjectValidator.Validate(obj).Key, ObjectValidator.ValidateKey(obj));
    }

    /// <summary>Not building the labels does not mean not checking them.</summary>
    [Theory]
    [InlineData("{'app':'web','bad key!':'x'}", "metadata.labels key \"bad key!\"")]
    [InlineData("{'app':'a value with spaces'}", "metadata.labels[\"app\"] value")]
    [InlineData("{'app':1}", "metadata.labels[\"app\"] must be a string")]
    [InlineData("['app']", "metadata.labels must be an object of strings")]
    public void ValidateKey_RefusesInvalidLabels(string labels, string expected)
    {
        var obj = Element("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':" + labels + "}}");

        InvalidAssert.Throws(() => ObjectValidator.ValidateKey(obj), expected);
    }

    [Fact]
    public void Validate_NoLabelsButCurrentOnes_ReturnsNoLabels()
    {
        var current = new Dictionary<string, string> { ["app"] = "web" }.ToFrozenDictionary(StringComparer.Ordinal);

        Assert.Empty(ObjectValidator.Validate(JsonSerializer.SerializeToElement(Minimal()), current).Labels);
    }

    [Fact]
    public void Validate_ClusterScopedObjectWithoutLabels_ReturnsEmptyNamespaceAndNoLabels()
    {
        var (key, labels) = ObjectValidator.Validate(Minimal());

        Assert.Equal(new ResourceKey(string.Empty, "v1", "Node", string.Empty, "node-1"), key);
        Assert.Empty(labels);
    }

    [Theory]
    [InlineData("'namespace':''")]
    [InlineData("'namespace':null")]
    [InlineData("'labels':null,'annotations':null")]
    [InlineData("'labels':{},'annotations':{}")]
    [InlineData("'uid':'3f2a','creationTimestamp':'2024-01-01T00:00:00Z'")]
    [InlineData("'resourceVersion':''")]
    [InlineData("'resourceVersion':'42'")]
    [InlineData("'resourceVersion':null")]
    [InlineData("'generation':0")]
    [InlineData("'generation':7")]
    [InlineData("'generation':9223372036854775807")]
    [InlineData("'generation':null")]
    public void Validate_OptionalMetadata_IsAccepted(string metadataMembers)
    {
        var (key, _) = ObjectValidator.Validate(Minimal(metadataMembers));

        Assert.Equal("node-1", key.Name);
    }

    [Fact]
    public void Validate_NameOf253WithoutDots_IsAcceptedAndOf254Refused()
    {
        var obj = Minimal();
        obj["metadata"]!["name"] = new string('a', 253);
        Assert.Equal(253, ObjectValidator.Validate(obj).Key.Name.Length);

        obj["metadata"]!["name"] = new string('a', 254);
        InvalidAssert.Throws(() => ObjectValidator.Validate(obj), "metadata.name", "253");
    }

    [Fact]
    public void Validate_GenerationBuiltAsClrInt_IsAccepted()
    {
        var obj = Minimal();
        obj["metadata"]!["generation"] = 3;

        ObjectValidator.Validate(obj);
    }

    [Theory]
    [InlineData("{}", "apiVersion is required")]
    [InlineData("{'apiVersion':'','kind':'Node','metadata':{'name':'a'}}", "apiVersion is required")]
    [InlineData("{'apiVersion':null,'kind':'Node','metadata':{'name':'a'}}", "apiVersion is required")]
    [InlineData("{'apiVersion':'v1'}", "kind is required")]
    [InlineData("{'apiVersion':'v1','kind':'Node'}", "metadata is required")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':{}}", "metadata.name is required")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':{'name':''}}", "metadata.name is required")]
    [InlineData("{'apiVersion':1,'kind':'Node','metadata':{'name':'a'}}", "apiVersion must be a string, got a number")]
    [InlineData("{'apiVersion':'v1','kind':['Node'],'metadata':{'name':'a'}}", "kind must be a string, got an array")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':'a'}", "metadata must be a JSON object, got a string")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':null}", "metadata must be a JSON object, got null")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':[]}", "metadata must be a JSON object, got an array")]
    [InlineData("{'apiVersion':'Apps/v1','kind':'Node','metadata':{'name':'a'}}", "apiVersion \"Apps/v1\"")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':{'name':5}}", "metadata.name must be a string, got a number")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':{'name':'Bad_Name'}}", "metadata.name \"Bad_Name\"")]
    [InlineData("{'apiVersion':'v1','kind':'Node','metadata':{'name':'-a'}}", "metadata.name \"-a\"")]
    [InlineData("{'apiVersion':'v1','kind':'1Node','metadata':{'name':'a'}}", "kind \"1Node\"")]
    public void Validate_MissingOrMistypedRequiredField_ThrowsInvalidNamingTheField(string json, string problem)
    {
        InvalidAssert.Throws(() => ObjectValidator.Validate(TestJson.Object(json)), problem);
    }

    [Theory]
    [InlineData("'selfLink':'x'", "metadata.selfLink is not a known field")]
    [InlineData("'Labels':{}", "metadata.Labels is not a known field")]
    [InlineData("'namespace':'a.b'", "metadata.namespace \"a.b\"")]
    [InlineData("'namespace':'Prod'", "metadata.namespace \"Prod\"")]
    [InlineData("'namespace':5", "metadata.namespace must be a string, got a number")]
    [InlineData("'uid':5", "metadata.uid must be a string, got a number")]
    [InlineData("'creationTimestamp':true", "metadata.creationTimestamp must be a string, got a boolean")]
    [InlineData("'labels':'a=b'", "metadata.labels must be an object of strings, got a string")]
    [InlineData("'labels':['a']", "metadata.labels must be an object of strings, got an array")]
    [InlineData("'labels':{'a':1}", "metadata.labels[\"a\"] must be a string, got a number")]
    [InlineData("'labels':{'a':true}", "metadata.labels[\"a\"] must be a string, got a boolean")]
    [InlineData("'labels':{'a':null}", "metadata.labels[\"a\"] must be a string, got null")]
    [InlineData("'labels':{'a':{}}", "metadata.labels[\"a\"] must be a string, got an object")]
    [InlineData("'labels':{'-a':'b'}", "metadata.labels key \"-a\"")]
    [InlineData("'labels':{'Example.com/a':'b'}", "metadata.labels key \"Example.com/a\"")]
    [InlineData("'labels':{'a':'-b'}", "metadata.labels[\"a\"] value \"-b\"")]
    [InlineData("'labels':{'a':'b c'}", "metadata.labels[\"a\"] value \"b c\"")]
    [InlineData("'annotations':'x'", "metadata.annotations must be an object of strings, got a string")]
    [InlineData("'annotations':{'a':5}", "metadata.annotations[\"a\"] must be a string, got a number")]
    [InlineData("'annotations':{'bad key':'x'}", "metadata.annotations key \"bad key\"")]
    [InlineData("'resourceVersion':'abc'", "metadata.resourceVersion \"abc\"")]
    [InlineData("'resourceVersion':'0'", "metadata.resourceVersion \"0\"")]
    [InlineData("'resourceVersion':'-1'", "metadata.resourceVersion \"-1\"")]
    [InlineData("'resourceVersion':5", "metadata.resourceVersion must be a string, got a number")]
    [InlineData("'generation':'1'", "metadata.generation must be a non-negative integer, got \"1\"")]
    [InlineData("'generation':1.5", "metadata.generation must be a non-negative integer, got 1.5")]
    [InlineData("'generation':2.0", "metadata.generation must be a non-negative integer, got 2.0")]
    [InlineData("'generation':1e3", "metadata.generation must be a non-negative integer, got 1e3")]
    [InlineData("'generation':-1", "metadata.generation must be a non-negative integer, got -1")]
    [InlineData("'generation':true", "metadata.generation must be a non-negative integer, got true")]
    [InlineData("'generation':99999999999999999999", "metadata.generation must be a non-negative integer")]
    public void Validate_BadMetadata_ThrowsInvalidNamingTheField(string metadataMembers, string problem)
    {
        InvalidAssert.Throws(() => ObjectValidator.Validate(Minimal(metadataMembers)), problem);
    }

    [Fact]
    public void Validate_AnnotationsAtTheSizeLimit_AreAccepted()
    {
        var obj = Minimal();
        obj["metadata"]!["annotations"] = new JsonObject { ["a"] = new string('x', ResourceLimits.Default.MaxAnnotationBytes - 1) };

        ObjectValidator.Validate(obj);
    }

    [Fact]
    public void Validate_AnnotationsOverTheSizeLimit_ThrowsInvalidNamingTheLimit()
    {
        var obj = Minimal();
        obj["metadata"]!["annotations"] = new JsonObject
        {
            ["a"] = new string('x', 1000),
            ["b"] = new string('x', ResourceLimits.Default.MaxAnnotationBytes - 1000),
        };

        InvalidAssert.Throws(() => ObjectValidator.Validate(obj), "metadata.annotations", $"{ResourceLimits.Default.MaxAnnotationBytes + 2} bytes", $"{ResourceLimits.Default.MaxAnnotationBytes}");
    }

    [Fact]
    public void Validate_MultiByteAnnotationsOverTheLimitInBytes_ThrowsInvalid()
    {
        // 140,000 characters but 280,000 UTF-8 bytes: the limit is in bytes, as in Kubernetes.
        var obj = Minimal();
        obj["metadata"]!["annotations"] = new JsonObject { ["a"] = new string('é', 140_000) };

        InvalidAssert.Throws(() => ObjectValidator.Validate(obj), "280001 bytes");
    }

    [Fact]
    public void Validate_Always_LeavesTheObjectUnchanged()
    {
        var obj = Minimal("'labels':{'a':'b'},'generation':1");
        var before = obj.ToJsonString();

        ObjectValidator.Validate(obj);

        Assert.Equal(before, obj.ToJsonString());
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("42", 42L)]
    [InlineData("007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void ParseResourceVersion_PositiveDecimal_ReturnsIt(string text, long expected)
    {
        Assert.Equal(expected, ObjectValidator.ParseResourceVersion(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("1,000")]
    [InlineData("９")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    public void ParseResourceVersion_NotAPositiveDecimal_ThrowsInvalidNamingTheText(string text)
    {
        InvalidAssert.Throws(() => ObjectValidator.ParseResourceVersion(text, "expectedResourceVersion"), $"expectedResourceVersion \"{text}\"", "positive decimal integer");
    }

    [Theory]
    [InlineData("v1", "ConfigMap", "default", "cfg", "", "v1", "default")]
    [InlineData("apps/v1", "Deployment", "prod", "web", "apps", "v1", "prod")]
    [InlineData("example.com/v1alpha1", "Widget", null, "w.1", "example.com", "v1alpha1", "")]
    [InlineData("v1", "Node", "", "node-1", "", "v1", "")]
    public void ValidateRef_ValidReference_ReturnsKey(string apiVersion, string kind, string? ns, string name, string group, string version, string expectedNamespace)
    {
        var key = ObjectValidator.ValidateRef(apiVersion, kind, ns, name);

        Assert.Equal(new ResourceKey(group, version, kind, expectedNamespace, name), key);
    }

    [Theory]
    [InlineData("", "Pod", "ns", "a", "apiVersion is required")]
    [InlineData("V1", "Pod", "ns", "a", "apiVersion \"V1\"")]
    [InlineData("apps/", "Pod", "ns", "a", "apiVersion \"apps/\"")]
    [InlineData("v1", "", "ns", "a", "kind is required")]
    [InlineData("v1", "Pod-x", "ns", "a", "kind \"Pod-x\"")]
    [InlineData("v1", "Pod", "ns", "", "name is required")]
    [InlineData("v1", "Pod", "ns", "Bad", "name \"Bad\"")]
    [InlineData("v1", "Pod", "ns", "a/b", "name \"a/b\"")]
    [InlineData("v1", "Pod", "a.b", "a", "namespace \"a.b\"")]
    [InlineData("v1", "Pod", "-ns", "a", "namespace \"-ns\"")]
    public void ValidateRef_BadReference_ThrowsInvalidNamingThePart(string apiVersion, string kind, string? ns, string name, string problem)
    {
        InvalidAssert.Throws(() => ObjectValidator.ValidateRef(apiVersion, kind, ns, name), problem);
    }

    /// <summary>A valid cluster-scoped v1 Node named node-1, with extra metadata members spliced in.</summary>
    private static JsonObject Minimal(string metadataMembers = "")
    {
        var extra = metadataMembers.Length == 0 ? string.Empty : "," + metadataMembers;
        return TestJson.Object("{'apiVersion':'v1','kind':'Node','metadata':{'name':'node-1'" + extra + "},'spec':{}}");
    }
}
