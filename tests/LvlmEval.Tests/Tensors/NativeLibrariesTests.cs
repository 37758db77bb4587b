using LvlmEval.Tensors.Native;

namespace LvlmEval.Tests.Tensors;

public sealed class NativeLibrariesTests
{
    [Test]
    public void MissingLibraryNamesTheDebianPackageToInstall()
    {
        var ex = Assert.Throws<DllNotFoundException>(() => NativeLibraries.Load("libdoes-not-exist.so.7", "libdoes-not-exist7"));
        Assert.That(ex!.Message, Does.Contain("libdoes-not-exist.so.7").And.Contain("apt-get install libdoes-not-exist7"));
    }

    [Test]
    public void OpenBlasLoadsFromTheDebianPackage()
    {
        Assert.DoesNotThrow(() => NativeLibraries.Load(OpenBlas.Soname, OpenBlas.DebianPackage));
        Assert.That(OpenBlas.GetNumThreads(), Is.GreaterThanOrEqualTo(1));
    }
}
