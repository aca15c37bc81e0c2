exports = () => "hello";
