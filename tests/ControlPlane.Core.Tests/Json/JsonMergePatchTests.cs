using System.Text.Json.Nodes;
using ControlPlane.Core.Json;

namespace ControlPlane.Core.Tests.Json;

public class JsonMergePatchTests
{
    /// <summary>RFC 7386 Appendix A, every row, plus the worked example of section 3 (quotes written as ').</summary>
    [Theory]
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    [InlineData(
        "{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},'tags':['example','sample'],'content':'This will be unchanged'}",
        "{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}",
        "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}")]
    public void Apply_Rfc7386Examples_ProduceTheSpecifiedResult(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(TestJson.Parse(target), TestJson.Parse(patch));

        TestJson.Equal(TestJson.Parse(expected), result);
    }

    [Fact]
    public void Apply_NullTargetAndObjectPatch_BuildsObjectWithoutNullMembers()
    {
        var result = JsonMergePatch.Apply(null, TestJson.Parse("{'a':1,'b':null,'c':{'d':null,'e':2}}"));

        TestJson.Equal(TestJson.Parse("{'a':1,'c':{'e':2}}"), result);
    }

    [Fact]
    public void Apply_NullInNestedPatch_RemovesOnlyThatMember()
    {
        var target = TestJson.Parse("{'a':{'b':{'c':1,'d':2},'e':3},'f':4}");

        var result = JsonMergePatch.Apply(target, TestJson.Parse("{'a':{'b':{'c':null}}}"));

        TestJson.Equal(TestJson.Parse("{'a':{'b':{'d':2},'e':3},'f':4}"), result);
    }

    [Fact]
    public void Apply_NullForMissingMember_ChangesNothing()
    {
        var result = JsonMergePatch.Apply(TestJson.Parse("{'a':{'b':1}}"), TestJson.Parse("{'x':null,'a':{'y':null}}"));

        TestJson.Equal(TestJson.Parse("{'a':{'b':1}}"), result);
    }

    [Fact]
    public void Apply_NestedObjectPatchOverScalar_DropsNullsInsideIt()
    {
        var result = JsonMergePatch.Apply(TestJson.Parse("{'a':'x'}"), TestJson.Parse("{'a':{'b':null,'c':1}}"));

        TestJson.Equal(TestJson.Parse("{'a':{'c':1}}"), result);
    }

    [Theory]
    [InlineData("{'a':[1,2,3]}", "{'a':[4]}", "{'a':[4]}")]
    [InlineData("{'a':[1,2,3]}", "{'a':[]}", "{'a':[]}")]
    [InlineData("{'a':[{'n':'x','v':1},{'n':'y','v':2}]}", "{'a':[{'n':'x','v':9}]}", "{'a':[{'n':'x','v':9}]}")]
    [InlineData("{'a':[{'b':1,'c':2}]}", "{'a':[{'b':null}]}", "{'a':[{'b':null}]}")]
    public void Apply_ArrayInPatch_ReplacesTheWholeArray(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(TestJson.Parse(target), TestJson.Parse(patch));

        TestJson.Equal(TestJson.Parse(expected), result);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("'text'")]
    [InlineData("true")]
    [InlineData("[1,{'a':null}]")]
    [InlineData("null")]
    public void Apply_PatchNotAnObject_ReplacesTheTarget(string patch)
    {
        var patchNode = TestJson.Parse(patch);

        var result = JsonMergePatch.Apply(TestJson.Parse("{'a':{'b':1}}"), patchNode);

        TestJson.Equal(patchNode, result);
        if (patchNode is not null) Assert.NotSame(patchNode, result);
    }

    [Fact]
    public void Apply_Always_LeavesTargetAndPatchUnchanged()
    {
        var target = TestJson.Parse("{'a':{'b':'c','keep':[1,{'x':1}]},'gone':1,'arr':[1,2]}");
        var patch = TestJson.Parse("{'a':{'b':'d','n':{'m':null,'k':1}},'gone':null,'arr':[3],'new':{'deep':{'x':null,'y':[1]}}}");
        var targetBefore = target!.ToJsonString();
        var patchBefore = patch!.ToJsonString();

        var result = JsonMergePatch.Apply(target, patch);

        Assert.Equal(targetBefore, target.ToJsonString());
        Assert.Equal(patchBefore, patch.ToJsonString());
        Assert.Null(target.Parent);
        Assert.Null(patch.Parent);
        TestJson.Equal(TestJson.Parse("{'a':{'b':'d','keep':[1,{'x':1}],'n':{'k':1}},'arr':[3],'new':{'deep':{'y':[1]}}}"), result);
    }

    [Fact]
    public void Apply_Always_ResultSharesNoNodeWithInputs()
    {
        var target = TestJson.Parse("{'kept':{'deep':[{'x':1}]},'replaced':{'old':1},'merged':{'a':{'b':1}}}");
        var patch = TestJson.Parse("{'replaced':[{'new':1}],'merged':{'a':{'c':2}},'added':{'z':{'w':[1]}}}");

        var result = JsonMergePatch.Apply(target, patch);

        var inputNodes = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        Collect(target, inputNodes);
        Collect(patch, inputNodes);
        var resultNodes = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        Collect(result, resultNodes);
        Assert.True(resultNodes.Count > 10, $"expected the whole result tree to be walked, saw {resultNodes.Count} nodes");
        var shared = resultNodes.Where(inputNodes.Contains).Select(n => n.GetPath()).ToList();
        Assert.True(shared.Count == 0, $"result shares nodes with the inputs at {string.Join(", ", shared)}");
    }

    [Fact]
    public void Apply_ResultMutated_InputsStayUnchanged()
    {
        var target = TestJson.Parse("{'kept':{'v':1}}");
        var patch = TestJson.Parse("{'added':{'v':2}}");

        var result = JsonMergePatch.Apply(target, patch)!.AsObject();
        result["kept"]!["v"] = 10;
        result["added"]!["v"] = 20;

        TestJson.Equal(TestJson.Parse("{'kept':{'v':1}}"), target);
        TestJson.Equal(TestJson.Parse("{'added':{'v':2}}"), patch);
    }

    [Fact]
    public void Apply_PatchChangesExistingMember_KeepsMemberOrder()
    {
        var result = JsonMergePatch.Apply(TestJson.Parse("{'a':1,'b':{'x':1,'y':2},'c':3}"), TestJson.Parse("{'a':9,'b':{'x':8},'d':4}"));

        Assert.Equal(TestJson.Text("{'a':9,'b':{'x':8,'y':2},'c':3,'d':4}"), result!.ToJsonString());
    }

    [Fact]
    public void Apply_PatchRestatesCurrentValues_SerializesToTheSameBytes()
    {
        var target = TestJson.Parse("{'apiVersion':'v1','kind':'K','metadata':{'name':'a','labels':{'x':'1'}},'spec':{'n':1}}");

        var result = JsonMergePatch.Apply(target, TestJson.Parse("{'apiVersion':'v1','metadata':{'labels':{'x':'1'}}}"));

        Assert.Equal(target!.ToJsonString(), result!.ToJsonString());
    }

    private static void Collect(JsonNode? node, HashSet<JsonNode> seen)
    {
        if (node is null) return;
        seen.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj) Collect(child, seen);
                break;
            case JsonArray array:
                foreach (var child in array) Collect(child, seen);
                break;
        }
    }
}
